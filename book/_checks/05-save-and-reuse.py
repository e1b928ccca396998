"""Checks of chapter 5's exercises (see checking.py): a fragment run after it."""


@exercise(
    "ex-05-count",
    starter="""
        file_parameters = ____  # the parameters of the chapter's model, in all
        adam_numbers = ____  # how many numbers Adam keeps for them
        iterations_after = ____  # the optimizer's iterations after 3 epochs with batch_size=256
    """,
    from_glue={"file_parameters": "trainable_parameters", "adam_numbers": "adam_numbers",
               "iterations_after": "steps_256_three_epochs"},
    wrong=[
        ("file_parameters = 784 * 128 + 128 * 10", "biases"),
        ("adam_numbers = file_parameters", "for each parameter"),
        ("iterations_after = 3 * (60_000 // 256)", "last"),
    ],
)
def count(learner):
    import math

    names = ("file_parameters", "adam_numbers", "iterations_after")
    parameters, adam, iterations = (whole_number(v, n) for v, n in zip(learner.values(*names), names))
    model = a_model(learner["restored"], "restored")
    expected = model.count_params()
    dense = [layer for layer in model.layers if layer.count_params()]
    if parameters != expected:
        if parameters == expected - sum(layer.units for layer in dense):
            raise NotYet(_("{name} counts the weights but not the biases: each neuron also has "
                           "one bias."), name="file_parameters")
        raise NotYet(_("{name} is not the number of parameters: count each dense layer's weights "
                       "(inputs × neurons) and biases (one per neuron); Rescaling and Flatten have "
                       "none."), name="file_parameters")
    if adam != 2 * expected:
        raise NotYet(_("{name} is not right yet: how many numbers does Adam keep for each "
                       "parameter?"), name="adam_numbers")
    images = len(learner["train_images"])
    if iterations != 3 * math.ceil(images / 256):
        if iterations == 3 * (images // 256):
            raise NotYet(_("{name} leaves out the last, smaller batch of each epoch: it is a step "
                           "too."), name="iterations_after")
        raise NotYet(_("{name} is not right yet: one step per batch, and 3 epochs."), name="iterations_after")
    return _("The file keeps every parameter and, for Adam, two running averages per "
             "parameter, and its step counter.")


@exercise(
    "ex-05-continue",
    starter="""
        resumed = ____  # the model loaded again from mnist_model.keras, trained for one more epoch
    """,
    wrong=[
        ("resumed = keras.models.load_model('mnist_model.keras')", "trained"),
        ("resumed = restored", "new variable"),
    ],
)
def resume(learner):
    model = a_model(learner["resumed"], "resumed")
    restored = learner["restored"]
    if model is restored:
        raise NotYet(_("{name} is restored itself: load the file again into a new variable, so "
                       "that restored stays as it was."), name="resumed")
    before = int(restored.optimizer.iterations)
    after = int(trained(model, "resumed").optimizer.iterations)
    steps = learner["history"].params["steps"]  # one epoch of the first training
    if after == before:
        raise NotYet(_("{name} has not been trained since it was loaded: call fit with epochs=1."), name="resumed")
    if after < before:
        raise NotYet(_("{name} started counting from 0: it was not loaded from the file, which "
                       "keeps the optimizer's counter."), name="resumed")
    if after != before + steps:
        raise NotYet(_("{name} took {taken} steps since it was loaded; one epoch with the same "
                       "batch_size as the first training takes {steps}."),
                     name="resumed", taken=number(after - before), steps=number(steps))
    return _("The loaded model picks up where training stopped: its weights, Adam's running "
             "averages and the step counter all come from the file.")


@exercise(
    "ex-05-twice",
    starter="""
        twice_accuracy = ____  # the accuracy of restored on the test images divided by 255
        predictions_per_digit = ____  # how many times it predicts each digit: 10 counts
    """,
    wrong=[
        ("twice_accuracy = float(np.mean(restored.predict(test_images, verbose=0).argmax(axis=1) == test_labels))",
         "255"),
        ("predictions_per_digit = np.bincount(test_labels)", "predicts"),
    ],
)
def twice(learner):
    import numpy as np

    accuracy, counts = learner.values("twice_accuracy", "predictions_per_digit")
    labels = learner["test_labels"]
    predicted = learner["restored"].predict(learner["test_images"] / 255, verbose=0, batch_size=1000).argmax(axis=1)
    try:
        accuracy = float(accuracy)
    except (TypeError, ValueError):
        raise NotYet(_("{name} must be a number."), name="twice_accuracy") from None
    if abs(accuracy - np.mean(predicted == labels)) > 0.002:
        raise NotYet(_("{name} is not the accuracy on the test images divided by 255 before they "
                       "reach the model (which divides them by 255 again)."), name="twice_accuracy")
    if np.shape(counts) != (10,) or list(counts) != np.bincount(predicted, minlength=10).tolist():
        raise NotYet(_("{name} must count how many times the model predicts each digit, 0 to 9, "
                       "on those images (not how many of each digit there are)."),
                     name="predictions_per_digit")
    return _("Divided twice by 255, every image looks almost black to the model, and it gives "
             "nearly the same answer to all of them.")
