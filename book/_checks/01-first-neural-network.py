"""Checks of chapter 1's exercises (see checking.py): a fragment run after it."""


@exercise(
    "ex-01-parameters",
    starter="""
        cifar_parameters = ____  # how many parameters its Dense layer has
        cifar_steps = ____  # the steps per epoch that Keras would print (938 for 938/938)
    """,
    from_glue={"cifar_parameters": "cifar_parameters", "cifar_steps": "cifar_steps"},
    wrong=[
        ("cifar_parameters = 10 * 32 * 32 * 3", "bias"),
        ("cifar_parameters = 10 * (32 * 32 + 1)", "three numbers"),
        ("cifar_steps = 50_000 // 64", "last"),
    ],
)
def cifar_counts(learner):
    import math

    import keras

    parameters, steps = learner.values("cifar_parameters", "cifar_steps")
    parameters = whole_number(parameters, "cifar_parameters")
    steps = whole_number(steps, "cifar_steps")
    # The model the exercise describes; zeros, so that building it draws no random numbers.
    model = keras.Sequential([
        keras.Input(shape=(32, 32, 3)),
        keras.layers.Flatten(),
        keras.layers.Dense(10, kernel_initializer="zeros"),
    ])
    numbers = model.layers[0].output.shape[1]
    if parameters != model.count_params():
        if parameters == 10 * numbers:
            raise NotYet(_("{name} counts the weights but not the biases: each of the 10 units "
                           "also has one bias."), name="cifar_parameters")
        if parameters in (10 * (32 * 32 + 1), 10 * 32 * 32):
            raise NotYet(_("{name} counts one number per pixel, but each pixel of a colour photo "
                           "is described by three numbers (red, green and blue)."), name="cifar_parameters")
        raise NotYet(_("{name} is not the number of parameters of that Dense layer: count the "
                       "numbers that Flatten makes of one photo, then the weights and the bias of "
                       "each of the 10 units."), name="cifar_parameters")
    if steps != math.ceil(50_000 / 64):
        if steps == 50_000 // 64:
            raise NotYet(_("{name} leaves out the last batch: 50,000 is not a multiple of 64, and "
                           "the last, incomplete batch takes a step too."), name="cifar_steps")
        raise NotYet(_("{name} is not the number of steps: one step per batch of 64 images, "
                       "until the 50,000 have all been used."), name="cifar_steps")
    return _("Each of the 10 units has one weight per number of a photo, plus its bias; and "
             "a last, incomplete batch still takes a step.")


@exercise(
    "ex-01-learning-rate",
    starter="""
        more_paths = ____  # {learning rate: the values of w that descend returns}, for 2, 20 and 60
        chosen_rate = ____  # the learning rate you would choose: 2, 20 or 60
    """,
    from_glue={"chosen_rate": "chosen_rate"},
    wrong=[
        ("more_paths = {rate: descend(-4.0, rate, steps=7) for rate in (2, 20, 60)}", "9 values"),
        ("chosen_rate = 2", "too slow"),
        ("chosen_rate = 60", "across"),
    ],
)
def learning_rates(learner):
    import numpy as np

    paths, chosen = learner.values("more_paths", "chosen_rate")
    descend = learner["descend"]
    if not isinstance(paths, dict) or sorted(paths) != [2, 20, 60]:
        raise NotYet(_("{name} must be a dictionary with one entry per learning rate, 2, 20 and "
                       "60, each holding what descend returns."), name="more_paths")
    for rate, path in paths.items():
        expected = descend(-4.0, rate)
        if np.shape(path) != np.shape(expected):
            raise NotYet(_("{name} must hold the 9 values of w for each learning rate: the start "
                           "and the 8 steps, as descend(-4.0, rate) returns them."), name="more_paths")
        if not np.allclose(path, expected):
            raise NotYet(_("For the learning rate {rate}, {name} does not hold the path from w = -4 "
                           "that descend gives."), name="more_paths", rate=rate)
    # The bottom of the valley, where a small learning rate settles after many steps.
    bottom = descend(-4.0, 10, steps=60)[-1]
    distance = {rate: abs(path[-1] - bottom) for rate, path in paths.items()}
    best = min(distance, key=distance.get)
    if chosen not in paths:
        raise NotYet(_("{name} must be one of the three learning rates: 2, 20 or 60."), name="chosen_rate")
    if chosen != best:
        if distance[chosen] > distance[best] and abs(paths[chosen][1] - paths[chosen][0]) < abs(paths[best][1] - paths[best][0]):
            raise NotYet(_("With {rate}, every step goes downhill, but after 8 of them w is still far "
                           "from the bottom: too slow."), rate=chosen)
        raise NotYet(_("With {rate}, w jumps back and forth across the valley instead of settling "
                       "at its bottom."), rate=chosen)
    return _("Of the three, it is the one that ends at the bottom of the valley after 8 steps.")


@exercise(
    "ex-01-always-black",
    starter="""
        always_black = ____  # for each of the 784 pixels: True if it is 0 in every training image
        weights_unchanged = ____  # True or False: are the weights of those pixels as they were before training?
    """,
    wrong=[
        ("always_black = np.any(train_images == 0, axis=0).reshape(784)", "every"),
        ("always_black = np.all(train_images == 0, axis=1)", "784"),
        ("weights_unchanged = False", "those pixels"),
    ],
)
def always_black(learner):
    import numpy as np

    black, unchanged = learner.values("always_black", "weights_unchanged")
    images = np.asarray(learner["train_images"])
    expected = np.all(images.reshape(len(images), -1) == 0, axis=0)
    black = np.asarray(black)
    if black.size != expected.size:
        raise NotYet(_("{name} must hold one value per pixel, 784 in all; it holds {size}. Which "
                       "axis of train_images runs over the images?"), name="always_black", size=black.size)
    if black.dtype != bool:
        raise NotYet(_("{name} must hold True or False for each pixel."), name="always_black")
    black = black.reshape(-1)
    if black.sum() > expected.sum() and not np.any(expected & ~black):
        raise NotYet(_("{name} marks the pixels that are 0 in at least one image; the exercise asks "
                       "for those that are 0 in every image."), name="always_black")
    if not np.array_equal(black, expected):
        raise NotYet(_("{name} does not mark exactly the pixels that are 0 in every training "
                       "image."), name="always_black")
    dense = [layer for layer in learner["model"].layers if layer.get_weights()][-1]
    trained_weights = dense.get_weights()[0]
    truth = bool(np.array_equal(trained_weights[expected], learner["untrained_weights"][expected]))
    if not isinstance(unchanged, (bool, np.bool_)):
        raise NotYet(_("{name} must be True or False."), name="weights_unchanged")
    if bool(unchanged) != truth:
        raise NotYet(_("{name} is not what the weights say: compare the rows of those pixels only, "
                       "in the weights before and after training (np.array_equal)."), name="weights_unchanged")
    return _("A pixel that is always 0 adds nothing to any score, whatever its weight: the slope "
             "of the loss with respect to that weight is 0, so gradient descent never moves it.")
