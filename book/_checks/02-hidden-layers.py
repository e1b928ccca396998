"""Checks of chapter 2's exercises (see checking.py): a fragment run after it."""


def dense_network(*units):
    """A dense network on 28 × 28 images with hidden layers of `units` (ReLU) and 10 outputs;
    zeros, so that building it draws no random numbers."""
    import keras

    layers = [keras.Input(shape=(28, 28)), keras.layers.Flatten()]
    layers += [keras.layers.Dense(n, activation="relu", kernel_initializer="zeros") for n in units]
    return keras.Sequential(layers + [keras.layers.Dense(10, kernel_initializer="zeros")])


@exercise(
    "ex-02-parameters",
    starter="""
        wide_parameters = ____  # the parameters of the network with one hidden layer of 512
        more_than_ours = ____  # True or False: more parameters than our network with two hidden layers of 256?
    """,
    from_glue={"wide_parameters": "wide_params", "more_than_ours": "wide_has_more"},
    wrong=[
        ("wide_parameters = 784 * 512 + 512 * 10", "biases"),
        ("wide_parameters = 784 * 512 + 512", "output layer"),
        ("more_than_ours = not more_than_ours", "our network"),
    ],
)
def wider_or_deeper(learner):
    parameters, more = learner.values("wide_parameters", "more_than_ours")
    parameters = whole_number(parameters, "wide_parameters")
    wide, ours = dense_network(512), dense_network(256, 256)
    hidden, output = wide.layers[-2], wide.layers[-1]
    if parameters != wide.count_params():
        if parameters == wide.count_params() - 512 - 10:
            raise NotYet(_("{name} counts the weights but not the biases: each neuron, hidden or "
                           "output, also has one bias."), name="wide_parameters")
        if parameters in (wide.count_params() - 512, wide.count_params() - 10):
            raise NotYet(_("{name} forgets the biases of one of the two layers."), name="wide_parameters")
        if parameters == hidden.count_params():
            raise NotYet(_("{name} counts the hidden layer only: add the output layer, whose 10 "
                           "neurons each have a weight per hidden neuron, and a bias."), name="wide_parameters")
        raise NotYet(_("{name} is not the number of parameters of that network: count each dense "
                       "layer's weights (inputs × neurons) and biases (one per neuron)."), name="wide_parameters")
    if not isinstance(more, bool):
        raise NotYet(_("{name} must be True or False."), name="more_than_ours")
    if more != (wide.count_params() > ours.count_params()):
        raise NotYet(_("{name} does not match the counts: count our network with two hidden layers "
                       "of 256 too, and compare."), name="more_than_ours")
    return _("Almost all the parameters are in the first layer, which connects every hidden "
             "neuron to the 784 pixels: making it wider costs far more than adding a layer.")


@exercise(
    "ex-02-train-evaluate",
    starter="""
        train_accuracy = ____  # dropout_model's accuracy on the training images, measured with evaluate
    """,
    wrong=[
        ("train_accuracy = dropout_model.evaluate(train_images, train_labels, verbose=0)[0]", "evaluate"),
        ("train_accuracy = 100 * train_accuracy", "percentage"),
    ],
)
def train_like_validation(learner):
    accuracy = learner["train_accuracy"]
    model = trained(a_model(learner["dropout_model"], "dropout_model"), "dropout_model")
    measured = accuracy_of(model, learner["train_images"], learner["train_labels"])
    same_accuracy(accuracy, measured, "train_accuracy")
    return _("Measured like the validation set (after the epoch, with dropout switched off), the "
             "network does better on the images it learned from; compare it with the log's "
             "numbers for the epoch that the callback restored.")


@exercise(
    "ex-02-patience",
    starter="""
        stop_epoch = ____  # with patience=1, the epoch after which training would stop
        restored_epoch = ____  # the epoch whose weights the callback would restore
    """,
    from_glue={"stop_epoch": "patience1_stop", "restored_epoch": "patience1_restored"},
    wrong=[
        ("restored_epoch = stop_epoch", "best"),
        ("stop_epoch, restored_epoch = stop_epoch - 1, restored_epoch - 1", "from 1"),
    ],
)
def patience(learner):
    stop, restored = learner.values("stop_epoch", "restored_epoch")
    stop, restored = whole_number(stop, "stop_epoch"), whole_number(restored, "restored_epoch")
    val_loss = list(learner["history_dropout"].history["val_loss"])
    # EarlyStopping(patience=1) on that log: it stops at the first epoch without a new lowest
    # validation loss, and puts back the weights of the lowest so far.
    best, expected_stop = 0, len(val_loss)
    for epoch in range(1, len(val_loss)):
        if val_loss[epoch] < val_loss[best]:
            best = epoch
        else:
            expected_stop = epoch + 1
            break
    if (stop, restored) == (expected_stop - 1, best):
        raise NotYet(_("Keras numbers the epochs from 1, as its log does: Epoch 1/20, Epoch 2/20..."))
    if stop != expected_stop:
        raise NotYet(_("{name} is not where patience=1 stops: go down the val_loss column and stop at "
                       "the first epoch that does not set a new lowest value."), name="stop_epoch")
    if restored != best + 1:
        if restored == stop:
            raise NotYet(_("With restore_best_weights=True the callback puts back the weights of the "
                           "best epoch, the one with the lowest val_loss so far, not those of the last."))
        raise NotYet(_("{name} is not the epoch with the lowest val_loss before the stop."), name="restored_epoch")
    return _("A single epoch without progress is enough to stop with patience=1; whether it is "
             "a good choice, the solution discusses.")
