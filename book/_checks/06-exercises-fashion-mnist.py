"""Checks of chapter 6's exercises (see checking.py): a fragment run after it. They measure
the learner's own models again, on the data that the exercises describe, which they load
themselves (from Keras's cache: the notebook downloaded it already)."""

DATA = {}


def fashion():
    """Fashion-MNIST as Keras gives it: ((train images, labels), (test images, labels))."""
    if "fashion" not in DATA:
        import keras

        DATA["fashion"] = keras.datasets.fashion_mnist.load_data()
    return DATA["fashion"]


def validation_set():
    """The last 10,000 training images and their labels, as exercise "Set aside a validation
    set" describes them."""
    (images, labels), _test = fashion()
    return images[50_000:], labels[50_000:]


def dense_model(*hidden, dropout=0.0, conv=None):
    """A model as the exercises describe them, to compare the learner's with: Rescaling, then
    a convolution (`conv`: filters, strides) or not, Flatten, hidden ReLU layers, maybe
    dropout, and 10 softmax outputs. Zeros, so that building it draws no random numbers."""
    import keras

    layers = [keras.Input(shape=(28, 28)), keras.layers.Rescaling(1 / 255)]
    if conv:
        filters, strides = conv
        layers += [keras.layers.Reshape((28, 28, 1)),
                   keras.layers.Conv2D(filters, 3, strides=strides, activation="relu", kernel_initializer="zeros")]
    layers.append(keras.layers.Flatten())
    layers += [keras.layers.Dense(n, activation="relu", kernel_initializer="zeros") for n in hidden]
    if dropout:
        layers.append(keras.layers.Dropout(dropout, seed=0))
    layers.append(keras.layers.Dense(10, activation="softmax", kernel_initializer="zeros"))
    return keras.Sequential(layers)


def stored_accuracy(learner, name):
    """val_accuracy[name], which the learner writes: a missing entry or a placeholder says so."""
    accuracies = learner["val_accuracy"]
    if not isinstance(accuracies, dict):
        raise NotYet(_("{name} must be the dictionary that the page creates: val_accuracy = {{}}."),
                     name="val_accuracy")
    if name not in accuracies:
        raise NotYet(_("{name} has no entry {key} yet: store the validation accuracy under that name."),
                     name="val_accuracy", key=f'"{name}"')
    return accuracies[name]


def trained_model_checked(learner, variable, key, expected, least=0.7):
    """The common part of the exercises that train a model: built as described, trained,
    and its accuracy stored under `key` is the one it gets on the validation set."""
    model = a_model(learner[variable], variable)
    accuracy = stored_accuracy(learner, key)
    same_layers(model, expected, variable)
    trained(model, variable)
    images, labels = validation_set()
    measured = accuracy_of(model, images, labels)
    if measured < least:
        raise NotYet(_("{name} reads only {measured} of the validation images correctly: has it been "
                       "trained as the exercise says, on the training images?"), name=variable,
                     measured=percent(measured))
    same_accuracy(accuracy, measured, f'val_accuracy["{key}"]')
    return measured


@exercise(
    "ex-06-explore",
    starter="""
        class_counts = ____  # how many training images there are of each class, in the order of class_names
        balanced = ____  # True or False: is the data set balanced?
    """,
    wrong=[
        ("class_counts = np.bincount(test_labels)", "training images"),
        ("balanced = False", "smallest"),
    ],
)
def explore(learner):
    import numpy as np

    counts, balanced = learner.values("class_counts", "balanced")
    (images, labels), _test = fashion()
    expected = np.bincount(labels)
    if np.shape(counts) != (10,):
        raise NotYet(_("{name} must hold 10 counts, one per class."), name="class_counts")
    if list(counts) != expected.tolist():
        if list(counts) == np.bincount(_test[1]).tolist():
            raise NotYet(_("{name} counts the test images; the exercise asks about the training images."),
                         name="class_counts")
        raise NotYet(_("{name} does not count the training labels of each class."), name="class_counts")
    if not isinstance(balanced, (bool, np.bool_)):
        raise NotYet(_("{name} must be True or False."), name="balanced")
    if bool(balanced) != bool(expected.min() == expected.max()):
        raise NotYet(_("{name} does not match the counts: compare the smallest and the largest."), name="balanced")
    return _("Every class has the same number of images, so always answering the same class would "
             "be right only one time in ten.")


@exercise(
    "ex-06-grid",
    starter="""
        grid_figure = ____  # the figure that you draw (plt.figure returns it)
    """,
    wrong=[
        ("grid_figure = plt.figure()\n"
         "for i in range(25):\n"
         "    plt.subplot(5, 5, i + 1)\n"
         "    plt.imshow(train_images[i], cmap='binary')\n"
         "    plt.title(str(train_labels[i]))\n"
         "plt.show()", "name"),
    ],
)
def grid(learner):
    import numpy as np

    figure = learner["grid_figure"]
    if not hasattr(figure, "axes"):
        raise NotYet(_("{name} must be a Matplotlib figure: what plt.figure(...) returns."), name="grid_figure")
    (images, labels), _test = fashion()
    names = learner["class_names"]
    axes = [ax for ax in figure.axes if ax.images]
    if len(axes) != 25:
        raise NotYet(_("{name} shows {count} images; the exercise asks for the first 25."),
                     name="grid_figure", count=len(axes))
    for i, ax in enumerate(axes):
        if not np.array_equal(ax.images[0].get_array(), images[i]):
            raise NotYet(_("Picture {number} of {name} is not training image {index}: show the first 25, in order."),
                         name="grid_figure", number=i + 1, index=i)
        if ax.get_title() != names[labels[i]]:
            raise NotYet(_("The title of picture {number} is {title}; each title must be the name of "
                           "its class, from class_names."), number=i + 1, title=repr(ax.get_title()))
    return _("Shoes, bags and trousers have shapes of their own; the garments for the upper body "
             "look much more alike.")


@exercise(
    "ex-06-validation",
    starter="""
        (train_images, train_labels), (test_images, test_labels) = keras.datasets.fashion_mnist.load_data()  # from the start
        val_images, val_labels = ____, ____  # the last 10,000 training images and their labels
        train_images, train_labels = ____, ____  # the first 50,000
    """,
    wrong=[
        ("val_images, val_labels = train_images[:10_000], train_labels[:10_000]", "last"),
        ("(train_images, train_labels), _ = keras.datasets.fashion_mnist.load_data()", "60,000"),
    ],
)
def validation(learner):
    import numpy as np

    names = ("val_images", "val_labels", "train_images", "train_labels")
    val_images, val_labels, train_images, train_labels = learner.values(*names)
    (images, labels), _test = fashion()
    if len(train_images) == len(images):
        raise NotYet(_("{name} still holds all {count} training images: keep only the first 50,000, "
                       "so that no model trains on the validation images."),
                     name="train_images", count=number(len(images)))
    if np.shape(val_images) != (10_000, 28, 28) or np.shape(val_labels) != (10_000,):
        raise NotYet(_("{name} must hold 10,000 images of 28 × 28, and val_labels their 10,000 labels."),
                     name="val_images")
    if not (np.array_equal(val_images, images[50_000:]) and np.array_equal(val_labels, labels[50_000:])):
        if np.array_equal(val_images, images[:10_000]):
            raise NotYet(_("{name} holds the first 10,000 training images; the exercise asks for the last."),
                         name="val_images")
        raise NotYet(_("{name} and val_labels must be the last 10,000 training images and their labels."),
                     name="val_images")
    if not (np.array_equal(train_images, images[:50_000]) and np.array_equal(train_labels, labels[:50_000])):
        raise NotYet(_("{name} and train_labels must be the first 50,000 training images and their labels."),
                     name="train_images")
    return _("Every decision is now made on the validation set, and the test set waits until the end.")


@exercise(
    "ex-06-linear",
    starter="""
        linear_model = ____  # built, compiled and trained
        val_accuracy["linear"] = ____  # its accuracy on the validation set
    """,
    wrong=[
        ("val_accuracy['linear'] = linear_model.evaluate(val_images, val_labels, verbose=0)[0]", "evaluate"),
        ("linear_model = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(), "
         "keras.layers.Dense(10, activation='softmax')])", "Rescaling"),
    ],
)
def linear(learner):
    trained_model_checked(learner, "linear_model", "linear", dense_model())
    return _("Ten scores, one per class, each a weighted sum of the pixels: far better than "
             "guessing at random, which would be right one time in ten.")


@exercise(
    "ex-06-hidden",
    starter="""
        hidden_model = ____  # built, compiled and trained
        val_accuracy["hidden"] = ____  # its accuracy on the validation set
        hidden_gain = ____  # how many percentage points it gains over the linear model
    """,
    wrong=[
        ("hidden_gain = val_accuracy['hidden'] - val_accuracy['linear']", "percentage points"),
        ("hidden_model = linear_model", "layers"),
    ],
)
def hidden(learner):
    measured = trained_model_checked(learner, "hidden_model", "hidden", dense_model(128))
    gain = learner["hidden_gain"]
    linear = stored_accuracy(learner, "linear")
    expected = 100 * (measured - float(linear))
    try:
        gain = float(gain)
    except (TypeError, ValueError):
        raise NotYet(_("{name} must be a number."), name="hidden_gain") from None
    if abs(gain - expected / 100) < 0.001 and abs(expected) > 0.1:
        raise NotYet(_("{name} is a difference of fractions: in percentage points, multiply it by 100."),
                     name="hidden_gain")
    if abs(gain - expected) > 0.15:
        raise NotYet(_("{name} is not the difference between the two validation accuracies, in "
                       "percentage points."), name="hidden_gain")
    return _("Combining the pixels through 128 intermediate features lets the network recognise "
             "more than one template per class.")


@exercise(
    "ex-06-cnn",
    starter="""
        cnn_model = ____  # built, compiled and trained
        val_accuracy["cnn"] = ____  # its accuracy on the validation set
    """,
    wrong=[
        ("cnn_model = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Rescaling(1 / 255), "
         "keras.layers.Reshape((28, 28, 1)), keras.layers.Conv2D(16, 3, activation='relu'), "
         "keras.layers.Flatten(), keras.layers.Dense(10, activation='softmax')])", "strides"),
    ],
)
def cnn(learner):
    trained_model_checked(learner, "cnn_model", "cnn", dense_model(conv=(16, 2)))
    return _("Its filters look for small patterns wherever they are in the image, with far fewer "
             "parameters than the dense network.")


@exercise(
    "ex-06-dropout",
    starter="""
        dropout_model = ____  # built and compiled, not trained yet
        dropout_parameters = ____  # your answer on paper: how many parameters the Dropout layer adds
    """,
    wrong=[
        ("dropout_parameters = 128", "weights to learn"),
        ("dropout_model = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Rescaling(1 / 255), "
         "keras.layers.Flatten(), keras.layers.Dropout(0.2), keras.layers.Dense(128, activation='relu'), "
         "keras.layers.Dense(10, activation='softmax')])", "layers"),
    ],
)
def dropout(learner):
    model, added = learner.values("dropout_model", "dropout_parameters")
    same_layers(a_model(model, "dropout_model"), dense_model(128, dropout=0.2), "dropout_model")
    if getattr(model, "optimizer", None) is None:
        raise NotYet(_("{name} is not compiled yet: the next exercise trains it."), name="dropout_model")
    added = whole_number(added, "dropout_parameters")
    expected = sum(layer.count_params() for layer in model.layers if type(layer).__name__ == "Dropout")
    if added != expected:
        raise NotYet(_("{name} is not right: a layer has parameters only if it has weights to learn; "
                       "does Dropout have any?"), name="dropout_parameters")
    return _("Dropout has nothing to learn: during training it switches values off at random and "
             "scales up the others; during evaluate and predict it lets everything through.")


@exercise(
    "ex-06-early-stopping",
    starter="""
        early_stopping = ____  # the callback
        history = ____  # what dropout_model.fit(...) returns
        val_accuracy["dropout"] = ____  # dropout_model's accuracy on the validation set, after training
        stopped_after = ____  # after how many epochs training stopped
        kept_epoch = ____  # the epoch whose weights the callback kept
    """,
    wrong=[
        ("kept_epoch = int(np.argmin(history.history['val_loss']))", "counted from 1"),
        ("early_stopping = keras.callbacks.EarlyStopping(monitor='val_loss', patience=2)", "restore_best_weights"),
    ],
)
def early_stopping(learner):
    import keras
    import numpy as np

    names = ("early_stopping", "history", "stopped_after", "kept_epoch")
    callback, history, stopped, kept = learner.values(*names)
    if not isinstance(callback, keras.callbacks.EarlyStopping):
        raise NotYet(_("{name} must be a keras.callbacks.EarlyStopping."), name="early_stopping")
    settings = {"monitor": callback.monitor, "patience": callback.patience,
                "restore_best_weights": callback.restore_best_weights}
    for key, wanted in (("monitor", "val_loss"), ("patience", 2), ("restore_best_weights", True)):
        if settings[key] != wanted:
            raise NotYet(_("{name} needs {setting}."), name="early_stopping", setting=f"{key}={wanted!r}")
    log = getattr(history, "history", None)
    if not isinstance(log, dict):
        raise NotYet(_("{name} must be what fit returns: a History, with the log in history.history."), name="history")
    if "val_loss" not in log:
        raise NotYet(_("The log has no val_loss: give fit the validation set (validation_data), or "
                       "the callback has nothing to watch."))
    val_loss = log["val_loss"]
    model = learner["dropout_model"]
    if getattr(history, "model", model) is not model:
        raise NotYet(_("{name} is not the log of dropout_model's training."), name="history")
    if whole_number(stopped, "stopped_after") != len(val_loss):
        raise NotYet(_("{name} is not the number of epochs in the log."), name="stopped_after")
    if whole_number(kept, "kept_epoch") != int(np.argmin(val_loss)) + 1:
        raise NotYet(_("{name} is not the epoch with the lowest val_loss (counted from 1), whose weights "
                       "the callback put back."), name="kept_epoch")
    trained_model_checked(learner, "dropout_model", "dropout", dense_model(128, dropout=0.2))
    return _("The callback watched the validation loss, stopped when it had not improved for two "
             "epochs and put back the best weights: measure the model again after such a training, "
             "since the log's last line is not theirs.")


@exercise(
    "ex-06-choose",
    starter="""
        best_name = ____  # the name, in val_accuracy, of the model with the best validation accuracy
        best_model = ____  # that model
    """,
    wrong=[
        ("best_name = min(val_accuracy, key=val_accuracy.get)", "highest"),
        ("best_model = linear_model", "best_name"),
    ],
)
def choose(learner):
    name, model = learner.values("best_name", "best_model")
    accuracies = learner["val_accuracy"]
    variables = {"linear": "linear_model", "hidden": "hidden_model", "cnn": "cnn_model", "dropout": "dropout_model"}
    missing = [key for key in variables if key not in accuracies]
    if missing:
        raise NotYet(_("{name} lacks {missing}: run the exercises that train those models first."),
                     name="val_accuracy", missing=", ".join(missing))
    if name not in accuracies:
        raise NotYet(_("{name} must be one of the names in val_accuracy."), name="best_name")
    if accuracies[name] != max(accuracies.values()):
        raise NotYet(_("{name} is not the name with the highest validation accuracy."), name="best_name")
    if model is not learner[variables[name]]:
        raise NotYet(_("{name} is not the model that best_name names."), name="best_model")
    return _("The validation set chose it; the test set has not been used yet.")


@exercise(
    "ex-06-mnist",
    starter="""
        mnist_model = ____  # a copy of linear_model's layers with new weights, trained on MNIST
        mnist_accuracy = ____  # its accuracy on MNIST's validation images
    """,
    wrong=[
        ("mnist_model = linear_model", "copy"),
        ("mnist_accuracy = val_accuracy['linear']", "evaluate"),
    ],
)
def mnist(learner):
    import keras
    import numpy as np

    model, accuracy = learner.values("mnist_model", "mnist_accuracy")
    linear = learner["linear_model"]
    model = a_model(model, "mnist_model")
    if model is linear:
        raise NotYet(_("{name} is linear_model itself: make a copy with new weights "
                       "(keras.models.clone_model), so that the Fashion-MNIST model stays as it was."),
                     name="mnist_model")
    same_layers(model, linear, "mnist_model")
    trained(model, "mnist_model")
    if all(np.array_equal(a, b) for a, b in zip(model.get_weights(), linear.get_weights())):
        raise NotYet(_("{name} has the very weights of linear_model: train a copy with new weights on MNIST."),
                     name="mnist_model")
    (images, labels), _test = keras.datasets.mnist.load_data()
    measured = accuracy_of(model, images[50_000:], labels[50_000:])
    if measured < 0.85:
        raise NotYet(_("{name} reads only {measured} of MNIST's validation digits: has it been trained "
                       "on MNIST's first 50,000 training images?"), name="mnist_model", measured=percent(measured))
    same_accuracy(accuracy, measured, "mnist_accuracy")
    return _("The same architecture, with the same training, does much better on digits than on "
             "clothes: the data set makes the difference.")


@exercise(
    "ex-06-errors",
    starter="""
        confusion = ____  # 10 × 10: row i, column j counts the validation images of class i that best_model classifies as j
        most_confused = ____  # the two class names that best_model mixes up most often, in either direction
    """,
    wrong=[
        ("confusion = confusion.T", "row"),
        ("most_confused = tuple(class_names[i] for i in np.unravel_index(np.argmax(confusion), confusion.shape))",
         "diagonal"),
    ],
)
def errors(learner):
    import numpy as np

    confusion, pair = learner.values("confusion", "most_confused")
    images, labels = validation_set()
    predicted = np.argmax(learner["best_model"].predict(images, verbose=0, batch_size=1000), axis=1)
    expected = np.zeros((10, 10), dtype=int)
    np.add.at(expected, (labels, predicted), 1)
    if np.shape(confusion) != (10, 10):
        raise NotYet(_("{name} must be a 10 × 10 table."), name="confusion")
    if not np.array_equal(confusion, expected):
        if np.array_equal(np.transpose(confusion), expected):
            raise NotYet(_("{name} is turned around: each row must be a true class, each column a "
                           "predicted one."), name="confusion")
        raise NotYet(_("{name} does not count best_model's answers on the validation images."), name="confusion")
    names = learner["class_names"]
    try:
        chosen = {names.index(name) for name in pair}
    except (TypeError, ValueError):
        raise NotYet(_("{name} must hold two names of class_names."), name="most_confused") from None
    if len(chosen) != 2:
        raise NotYet(_("{name} names a class with itself: the diagonal counts right answers, not "
                       "confusions."), name="most_confused")
    both = expected + expected.T
    np.fill_diagonal(both, 0)
    a, b = chosen
    if both[a, b] != both.max():
        raise NotYet(_("{name} is not the pair confused most often: add the mistakes in both "
                       "directions, a taken for b and b taken for a."), name="most_confused")
    return _("The garments for the upper body look alike at 28 × 28 pixels: a shirt, a T-shirt, "
             "a pullover and a coat share the silhouette of a torso with two sleeves.")


@exercise(
    "ex-06-test",
    starter="""
        test_accuracy = ____  # best_model's accuracy on the test set
    """,
    wrong=[
        ("test_accuracy = best_model.evaluate(test_images, test_labels, verbose=0)[0]", "evaluate"),
    ],
)
def test(learner):
    accuracy = learner["test_accuracy"]
    _train, (images, labels) = fashion()
    same_accuracy(accuracy, accuracy_of(learner["best_model"], images, labels), "test_accuracy")
    return _("This is the number to report: no decision depended on it.")


@exercise(
    "ex-06-save",
    starter="""
        restored = ____  # the model loaded back from fashion_model.keras
        identical = ____  # True or False: does it give exactly the same predictions as best_model?
    """,
    wrong=[
        ("restored = best_model", "file"),
        ("identical = False", "predictions"),
    ],
)
def save(learner):
    import os

    import numpy as np

    restored, identical = learner.values("restored", "identical")
    original = learner["best_model"]
    if not os.path.isfile("fashion_model.keras"):
        raise NotYet(_("There is no file fashion_model.keras in the notebook's folder: save best_model first."))
    if restored is original:
        raise NotYet(_("{name} is best_model itself: load the model from the file, with "
                       "keras.models.load_model."), name="restored")
    a_model(restored, "restored")
    images, _labels = validation_set()
    same = np.array_equal(original.predict(images[:1000], verbose=0), restored.predict(images[:1000], verbose=0))
    if not isinstance(identical, (bool, np.bool_)) or bool(identical) != same:
        raise NotYet(_("{name} does not say what the predictions say: compare the two arrays of "
                       "predictions with np.array_equal."), name="identical")
    return _("The file keeps the whole model, its Rescaling layer included: whoever loads it gives "
             "it the images as Fashion-MNIST stores them.")


@exercise(
    "ex-06-predict",
    starter="""
        index = ____  # any test image: a whole number from 0 to 9999
        probabilities = ____  # the ten probabilities that restored gives that image
    """,
    wrong=[
        ("probabilities = restored.predict(test_images[index][None], verbose=0)", "batch"),
        ("probabilities = restored.predict(test_images[index + 1][None], verbose=0)[0]", "test image"),
    ],
)
def predict(learner):
    import numpy as np

    index, probabilities = learner.values("index", "probabilities")
    index = whole_number(index, "index")
    _train, (images, labels) = fashion()
    if not 0 <= index < len(images):
        raise NotYet(_("{name} must be between 0 and 9999."), name="index")
    if np.shape(probabilities) == (1, 10):
        raise NotYet(_("{name} is a batch of one row: predict answers a batch with a batch; take its "
                       "first row."), name="probabilities")
    if np.shape(probabilities) != (10,):
        raise NotYet(_("{name} must hold the 10 probabilities of one image."), name="probabilities")
    expected = learner["restored"].predict(images[index][None], verbose=0)[0]
    if not np.allclose(probabilities, expected, atol=1e-5):
        raise NotYet(_("{name} are not the probabilities that restored gives test image {index}."),
                     name="probabilities", index=index)
    return _("The largest probability is the model's answer, and its size is the model's confidence.")
