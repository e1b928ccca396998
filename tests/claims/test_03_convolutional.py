"""Claims of chapter 3, "Convolutional networks": each test protects the sentences marked
`% claim: NAME` in both editions, and quotes the English ones."""

import re

PAGE = "03-convolutional-networks"

# Published test errors that the chapter quotes from LeCun et al. (1998).
LENET5_ERROR = 0.0095
ONE_HIDDEN_LAYER_ERROR = 0.047
LINEAR_1998_ERROR = 0.12


def test_parameters_an_eighth_of_dense(run):
    """03: "That makes 34,826 parameters in all. The dense network of the previous chapter,
    with two hidden layers of 256 neurons, has (784 × 256 + 256) + (256 × 256 + 256) +
    (256 × 10 + 10) = 269,322, 7.7 times as many: this one makes do with about an eighth of
    its parameters." and "[...] with about an eighth of the parameters of the dense network
    of the previous chapter." """
    r = run(PAGE)
    # The layer counts the bullet list gives (conv1, conv2, output layer) make the total.
    assert r.glue["parameters"] == 320 + 18_496 + 16_010
    assert r.glue["dense_parameters"] == 269_322
    assert 7.5 <= r.glue["dense_parameters"] / r.glue["parameters"] < 8.5, "not about an eighth"
    # ... and that is the dense network chapter 2 really builds.
    totals = {int(n.replace(",", "")) for n in re.findall(r"Total params: ([\d,]+)", run("02-hidden-layers").text)}
    assert r.glue["dense_parameters"] in totals, f"chapter 2's summaries show {totals}"


def test_output_sizes_follow_the_rule(run):
    """03: "The rule and the model agree on every layer. [...] In `pool2` the rounding
    matters: (11 − 2) / 2 + 1 = 5.5 becomes 5" (and the sizes of the bullet list: 26, 13,
    11, 5)."""
    r = run(PAGE)
    assert r.glue["sizes_by_rule"] == r.glue["sizes_by_model"]
    assert r.glue["sizes_by_model"] == [26, 13, 11, 5]


def test_learned_filters_detect_edges_and_strokes(run):
    """03: "Many of the filters in [the figure of the filters] look like the edge detectors we designed by
    hand: a red side and a blue side, with the border between them horizontal, vertical or
    diagonal. [...] A few filters are almost entirely red" (and the figure's alt text:
    "Many squares are split into a red side and a blue side, some horizontally, some
    vertically, some diagonally; a few are almost entirely red"; the summary: "The first
    layer learns by itself filters that detect edges and strokes")."""
    r = run(PAGE)
    edges = r.glue["edge_filters"]
    assert len(edges) >= 8, f"only {len(edges)} of 32 filters look like edge detectors"
    found = list(r.glue["edge_orientations"].values())
    for orientation in ("horizontal", "vertical"):
        assert found.count(orientation) >= 2, f"fewer than two {orientation} edge filters"
    assert found.count("diagonal") + found.count("antidiagonal") >= 2, "no diagonal edges"
    assert 2 <= len(r.glue["ink_filters"]) <= 8, "not 'a few' filters almost entirely red"


def test_feature_maps_have_no_negative_values(run):
    """03: "the feature maps *after* the layer's ReLU activation. ReLU has turned every
    negative value into 0, so [...] these maps have no negative values." """
    r = run(PAGE)
    assert r.glue["feature_maps_min"] >= 0
    assert "smallest value: 0.0" in r.text


def test_feature_maps_figure(run):
    """03: the alt text "in some, the horizontal stroke is the brightest part; in others,
    the diagonal stroke; in others, the whole digit is lit; and in a few, the background
    is lit while most of the digit stays dark", and "Maps 21 and 12, for example, light up
    mainly the horizontal stroke; maps 9 and 10, the diagonal one; maps 31 and 18, the
    whole digit; and maps 30 and 26 light up the background, leaving most of the digit
    dark. Filter 12 in [the figure of the filters] is blue on top and red below [...] and indeed its map
    lights up mainly the horizontal stroke of the 7." """
    r = run(PAGE)
    kinds = r.glue["map_kinds"]
    for kind, maps in kinds.items():
        assert len(maps) >= 2, f"fewer than two maps of kind {kind}: {maps}"
        assert [r.glue[f"{kind}_map_1"], r.glue[f"{kind}_map_2"]] == maps[:2]
    assert len(kinds["background"]) <= 8, "more than 'a few' maps light up the background"
    f = r.glue["upper_edge_filter"]
    assert f in kinds["horizontal"], "no filter for upper edges whose map is mainly the bar"
    assert r.glue["edge_orientations"][f] == "horizontal"
    top, _, bottom = r.glue["filter_row_sums"][f - 1]
    assert top < 0 < bottom, "the filter is not blue on top and red below"


def test_error_close_to_lenet(run):
    """03: "Our network's error, 0.97%, is within a quarter of a percentage point of
    LeNet-5's 0.95%. In the article, LeNet-5 made about a fifth of the errors of the network
    with one hidden layer; ours, too, makes about a fifth of them." and the summary "[...]
    reads 99.0% of the MNIST test digits correctly, close to what LeNet-5 achieved in
    1998." """
    error = run(PAGE).glue["test_error"]
    assert abs(error - LENET5_ERROR) <= 0.0025, f"error {error:.2%} is not close to LeNet-5's"
    assert 0.15 <= error / ONE_HIDDEN_LAYER_ERROR <= 0.25, "not about a fifth of 4.7%"


def test_linear_model_beats_1998_linear(run):
    """03: "that is probably why the linear model of the first chapter already makes
    clearly fewer errors than the first row" (12.0%)."""
    error = 1 - run("01-first-neural-network").glue["test_accuracy"]
    assert error <= LINEAR_1998_ERROR - 0.02, f"chapter 1's error is {error:.1%}"


def test_training_accuracy_below_validation(run):
    """03, exercise: "In the training log, `accuracy`, measured on the training images,
    stays below `val_accuracy`, measured on the validation images, in every epoch." """
    history = run(PAGE).glue["history"]
    pairs = list(zip(history["accuracy"], history["val_accuracy"]))
    assert all(train < val for train, val in pairs), pairs


def test_validation_loss_still_falling(run):
    """03, solution: "the validation loss went down in every epoch, to 0.0328 in the last
    one, so the network had not started to overfit" """
    val_loss = run(PAGE).glue["history"]["val_loss"]
    assert all(later < earlier for earlier, later in zip(val_loss, val_loss[1:])), val_loss


def test_same_padding_variant(run):
    """03, solution: "The two convolutional layers keep their 320 and 18,496 parameters
    [...] `Flatten` now hands it 7 × 7 × 64 = 3,136 values, so it needs
    3,136 × 10 + 10 = 31,370 parameters" (and the sizes 28, 14, 14 and 7 before it)."""
    r = run(PAGE)
    assert r.glue["same_sizes"] == [28, 14, 14, 7]
    assert [n for n in r.glue["same_layer_parameters"] if n] == [320, 18_496, 31_370]
    assert r.glue["same_parameters"] == 320 + 18_496 + 31_370
