"""Checks of chapter 3's exercises (see checking.py): a fragment run after it."""


def variant(model, **changes):
    """The chapter's model (`model`) with `changes` to both convolutional layers, as the
    exercise describes it, whatever the chapter's own choices of filters; rebuilt with zeros
    and fixed seeds, so that building it draws no random numbers."""
    import keras

    config = model.get_config()
    for layer in config["layers"]:
        layer.pop("build_config", None)  # each layer takes the shape that it now receives
        settings = layer["config"]
        if layer["class_name"] == "Conv2D":
            settings.update(changes)
        for key in ("kernel_initializer", "bias_initializer"):
            if key in settings:
                settings[key] = "zeros"
        if "seed" in settings:
            settings["seed"] = 0
    return keras.Sequential.from_config(config)


judgement("ex-03-train-below-validation")  # why the log shows it: an explanation in words


def parameters_of(model, kind):
    """The parameters of each layer of a kind ("Conv2D", "Dense"), in order."""
    return [layer.count_params() for layer in model.layers if type(layer).__name__ == kind]


@exercise(
    "ex-03-five-by-five",
    starter="""
        conv1_parameters = ____  # the parameters of the first convolutional layer
        conv2_parameters = ____  # ...of the second
        flatten_values = ____  # how many values Flatten hands to the hidden layer
        hidden_parameters = ____  # the parameters of the hidden dense layer
        total_parameters = ____  # the whole model's
        more_than_ours = ____  # True or False: more parameters than our model?
    """,
    from_glue={"conv1_parameters": "five_conv1_parameters", "conv2_parameters": "five_conv2_parameters",
               "flatten_values": "five_flat_values", "hidden_parameters": "five_hidden_parameters",
               "total_parameters": "five_parameters", "more_than_ours": "five_has_more"},
    wrong=[
        ("conv2_parameters = 5 * 5 * 32 + 32", "each of the maps"),
        ("flatten_values = flatten_values * 4", "Flatten"),
        ("hidden_parameters = hidden_parameters - 128", "bias"),
    ],
)
def bigger_windows(learner):
    names = ("conv1_parameters", "conv2_parameters", "flatten_values", "hidden_parameters",
             "total_parameters", "more_than_ours")
    values = learner.values(*names)
    ours = learner["model"]
    five = variant(ours, kernel_size=(5, 5))
    flatten = next(layer for layer in five.layers if type(layer).__name__ == "Flatten")
    expected = [*parameters_of(five, "Conv2D"), flatten.output.shape[-1], parameters_of(five, "Dense")[0],
                five.count_params()]
    hints = [_("a filter of {name} has 5 × 5 weights for each channel of its input, plus one bias."),
             _("a filter of {name} has 5 × 5 weights for each of the maps it receives, plus one bias."),
             _("apply the output-size rule with k = 5 to each convolution; pooling halves the size; "
               "Flatten hands on height × width × maps."),
             _("each of the 128 neurons of the hidden layer has one weight per value that Flatten hands it, "
               "plus one bias."),
             _("add the parameters of every layer.")]
    for name, value, wanted, hint in zip(names, values, expected, hints):
        if whole_number(value, name) != wanted:
            raise NotYet(_("{name} is not right yet: {hint}"), name=name, hint=hint.format(name=f"`{name.split('_')[0]}`"))
    more = values[-1]
    if not isinstance(more, bool):
        raise NotYet(_("{name} must be True or False."), name="more_than_ours")
    if more != (five.count_params() > ours.count_params()):
        raise NotYet(_("{name} does not match your total and our model's (model.count_params())."),
                     name="more_than_ours")
    return _("Bigger windows give the convolutions more weights but shrink the maps faster, so "
             "Flatten hands the hidden layer fewer values.")


@exercise(
    "ex-03-same-padding",
    starter="""
        padding_p = ____  # the padding p that keeps the size of the input for a 3 × 3 window
        same_model = ____  # our model, with padding="same" in both convolutional layers (keras.Sequential)
    """,
    from_glue={"padding_p": "same_p"},
    wrong=[
        ("same_model = keras.models.clone_model(model)", "padding"),
        ("padding_p = 2", "rule"),
    ],
)
def keep_the_size(learner):
    p, same = learner.values("padding_p", "same_model")
    p = whole_number(p, "padding_p")
    ours = learner["model"]
    kernel = next(layer for layer in ours.layers if type(layer).__name__ == "Conv2D").kernel_size[0]
    if kernel - 1 != 2 * p:  # n − k + 2p + 1 = n
        raise NotYet(_("With that {name}, the rule n − 3 + 2p + 1 does not give n back: solve it for p."),
                     name="padding_p")
    same_layers(a_model(same, "same_model"), variant(ours, padding="same"), "same_model")
    return _("The filters keep their size, so the convolutions keep their parameters; the maps "
             "stay larger, so the hidden layer gets more values and more parameters.")
