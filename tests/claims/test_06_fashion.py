"""Claims of chapter 6, "Exercises with Fashion-MNIST": each test protects the sentence that
its docstring quotes (marked `% claim: NAME` in both editions) against the executed run.

The Spanish edition names the classes in Spanish, beside the code's English names, and
names the chosen model by its key in the code; these tests hold those names to the run too.
"""

PAGE = "06-exercises-fashion-mnist"

# The code's class numbers (class_names in the page), for readable assertions.
T_SHIRT, TROUSER, PULLOVER, DRESS, COAT, SANDAL, SHIRT, SNEAKER, BAG, ANKLE_BOOT = range(10)
UPPER_BODY = [T_SHIRT, PULLOVER, COAT, SHIRT]


def glued(run):
    return run(PAGE).glue


def test_fashion_perfectly_balanced(run):
    """"There are 60,000 training images and 10,000 test images, each a 28 × 28 grid of bytes
    from 0 to 255, exactly like MNIST. The data set is perfectly balanced: every class has
    exactly 6,000 training images, so a model cannot score well by always answering the same
    class: it would be right only one time in ten." """
    g = glued(run)
    assert g["class_counts"] == [6000] * 10
    assert g["data_shapes"] == [[60_000, 28, 28], [10_000, 28, 28]]
    assert [g["n_train"], g["n_test"]] == [60_000, 10_000] and g["images_per_class"] == 6000
    assert g["pixel_range"] == [0, 255]


def test_fashion_grid_shows_every_class(run):
    """Alt text of the grid: "all ten classes appear ... The first row reads Ankle boot,
    T-shirt/top, T-shirt/top, Dress, T-shirt/top." """
    labels = glued(run)["grid_labels"]
    assert len(labels) == 25
    assert set(labels) == set(range(10))
    assert labels[:5] == [ANKLE_BOOT, T_SHIRT, T_SHIRT, DRESS, T_SHIRT]


def test_fashion_validation_set_is_balanced(run):
    """"the last 10,000 contain every class in roughly equal numbers: between
    {val_count_min} and {val_count_max} images each." """
    g = glued(run)
    assert sum(g["val_counts"]) == 10_000
    assert g["val_count_min"] == min(g["val_counts"]) >= 900
    assert g["val_count_max"] == max(g["val_counts"]) <= 1100


def test_fashion_linear_far_better_than_chance(run):
    """"The linear model classifies {linear_accuracy} of the validation images correctly:
    far better than the 10% of guessing at random, but clearly worse than on the
    handwritten digits" """
    g = glued(run)
    assert g["linear_accuracy"] >= 0.7
    assert g["mnist_accuracy"] - g["linear_accuracy"] >= 0.03


def test_fashion_hidden_layer_pays_off(run):
    """"With a hidden layer the validation accuracy rises to {hidden_accuracy}, a gain of
    {hidden_gain} percentage points over the linear model" """
    g = glued(run)
    assert g["hidden_gain"] >= 1.0
    assert abs(g["hidden_gain"] - 100 * (g["hidden_accuracy"] - g["linear_accuracy"])) < 1e-6


def test_fashion_stride_quarter(run):
    """"each filter makes a map of {cnn_map_side} × {cnn_map_side} values instead of
    {cnn_map_side_stride_1} × {cnn_map_side_stride_1}. The window visits a quarter of the
    positions" """
    g = glued(run)
    assert g["cnn_map_side"] == int(g["cnn_map_exact"])
    assert 4 * g["cnn_map_side"] ** 2 == g["cnn_map_side_stride_1"] ** 2


def test_fashion_cnn_close_to_dense(run):
    """"the convolutional network reaches {cnn_accuracy}, with {cnn_params} parameters
    against the {hidden_params} of the dense network, which reached {hidden_accuracy}. It
    does not clearly beat it." (the small CNN after two epochs) """
    g = glued(run)
    assert g["cnn_lead"] < 1.0
    assert abs(g["cnn_lead"] - 100 * (g["cnn_accuracy"] - g["hidden_accuracy"])) < 1e-6
    assert g["cnn_params"] < g["hidden_params"]


def test_fashion_dropout_adds_no_parameters(run):
    """"The dropout layer adds no parameters at all: both networks have {dropout_params}." """
    g = glued(run)
    assert g["dropout_params"] == g["hidden_params"]


def test_fashion_dropout_demo(run):
    """"During training, each value is set to zero with a probability of 0.2 ... and the
    values that survive are multiplied by 1 / (1 − 0.2) = 1.25 ... During prediction the
    layer lets everything through unchanged" (the printed row of ten ones shows both) """
    g = glued(run)
    training = g["dropout_demo_training"]
    assert set(training) == {0.0, 1.25}, "the printed example should show both a zero and a 1.25"
    assert g["dropout_demo_prediction"] == [1.0] * 10


def test_fashion_early_stopping_stops_early(run):
    """Stopped: "Training stopped after {dropout_epochs} of the 8 epochs: the validation
    loss was lowest at epoch {dropout_best_epoch} and did not improve in the two epochs that
    followed"; or not: "Training went through all 8 epochs: the validation loss never went
    two epochs in a row without a new lowest value ... put back the weights of ... epoch
    {dropout_best_epoch}" """
    g = glued(run)
    val_loss = g["dropout_history"]["val_loss"]
    best = min(range(len(val_loss)), key=val_loss.__getitem__) + 1
    assert g["dropout_epochs"] == len(val_loss) <= 8
    assert g["dropout_best_epoch"] == best
    if g["dropout_stopped_early"]:
        assert best == g["dropout_epochs"] - 2
    else:
        assert len(val_loss) == 8
        lowest = [min(val_loss[:i + 1]) for i in range(8)]
        assert not any(lowest[i] == lowest[i - 2] for i in range(2, 8)), "two epochs in a row without a new low"


def test_fashion_dropout_network_gains(run):
    """"This network reaches a validation accuracy of {dropout_accuracy}, {dropout_gain}
    percentage points more than the dense network it started from, after its three
    epochs." """
    g = glued(run)
    assert g["dropout_gain"] > 0
    assert g["dropout_accuracy"] == g["val_accuracies"]["dropout"]


def test_fashion_choice_by_validation(run):
    """"The highest validation accuracy, {best_accuracy}, is that of the model {best_name},
    {best_lead} percentage points ahead of the next one, {second_name}: that is the one we
    keep." """
    g = glued(run)
    accuracies = g["val_accuracies"]
    ranking = sorted(accuracies, key=accuracies.get, reverse=True)
    assert g["best_name"] == ranking[0]
    assert g["best_accuracy"] == accuracies[ranking[0]]
    assert abs(g["best_lead"] - 100 * (accuracies[ranking[0]] - accuracies[ranking[1]])) < 1e-6
    assert g["best_lead"] >= 0.1, "ahead at the precision shown, not tied"


def test_fashion_harder_than_mnist(run):
    """"The very same linear model reads {mnist_accuracy} of the MNIST validation digits
    correctly but only {linear_accuracy} of the Fashion-MNIST validation images: a
    difference of {mnist_gap} percentage points." """
    g = glued(run)
    assert g["mnist_gap"] >= 3.0
    assert abs(g["mnist_gap"] - 100 * (g["mnist_accuracy"] - g["linear_accuracy"])) < 1e-6


def test_fashion_most_confused_pair(run):
    """"The pair of classes mixed up most often is {pair_first} and {pair_second}, two
    garments worn on the upper body" (or, if several pairs tie: "among them, {pair_first}
    and {pair_second}") """
    g = glued(run)
    assert set(g["pair"]) <= set(UPPER_BODY) and len(set(g["pair"])) == 2
    assert g["pair_count"] > 0
    # "mixed up most often", or tied with other pairs as the page then says
    mix_ups = g["mix_ups"]
    a, b = g["pair"]
    largest = max(max(row) for row in mix_ups)
    assert mix_ups[a][b] == largest == g["pair_count"]
    assert g["pair_tied"] == (sum(row.count(largest) for row in mix_ups) > 2)


OBJECTS = [TROUSER, SANDAL, SNEAKER, BAG, ANKLE_BOOT]  # "trousers, shoes and bags"


def test_fashion_hardest_classes_are_tops(run):
    """"The hardest classes are garments for the upper body: the three with the lowest
    accuracy are {hardest_1}, {hardest_2} and {hardest_3}, from {hardest_min} to
    {hardest_max}, while trousers, shoes and bags are all recognised at least
    {objects_accuracy_min} of the time. A shirt, for example, is mostly taken for one of the
    other three garments for the upper body: a T-shirt, a pullover or a coat." """
    g = glued(run)
    accuracy = g["class_accuracy"]
    hardest = sorted(range(10), key=accuracy.__getitem__)[:3]
    assert g["hardest_three"] == hardest and set(hardest) <= set(UPPER_BODY)
    assert g["hardest_min"] == accuracy[hardest[0]] and g["hardest_max"] == accuracy[hardest[-1]]
    assert g["hardest_max"] < g["objects_accuracy_min"] == min(accuracy[i] for i in OBJECTS)
    assert set(g["shirt_taken_for"]) == {T_SHIRT, PULLOVER, COAT}


def test_fashion_tops_share_of_errors(run):
    """"Altogether, {tops_share} of the model's {total_errors} mistakes, more than half, are
    confusions among those four garments." """
    assert glued(run)["tops_share"] > 0.5


def test_fashion_why_harder(run):
    """"our small convolutional network, with 16 filters and two epochs, did not clearly
    beat the dense one, and the upper-body garments remain the hardest classes even for the
    best of our models." """
    g = glued(run)
    assert g["cnn_lead"] < 1.0
    assert set(g["hardest_three"]) <= set(UPPER_BODY)


def test_fashion_test_close_to_validation(run):
    """"On the test set the chosen model reaches {test_accuracy}, only {test_val_gap}
    percentage points from its validation accuracy ({best_accuracy})." """
    g = glued(run)
    assert abs(g["test_val_gap"] - 100 * abs(g["test_accuracy"] - g["best_accuracy"])) < 1e-6
    assert g["test_val_gap"] < 1.5


def test_fashion_reloaded_model_identical(run):
    """"The loaded model gives exactly the same probabilities, to the last digit." """
    assert glued(run)["identical"] is True


def test_fashion_single_prediction(run):
    """Alt text: "On the left, test image 18, a bag ... only the bar of Bag is visible, and
    it reaches almost to 1." """
    g = glued(run)
    probabilities = g["single_probabilities"]
    assert g["single_label"] == BAG
    assert probabilities[BAG] > 0.95
    assert all(p < 0.02 for i, p in enumerate(probabilities) if i != BAG)


def test_fashion_single_prediction_is_right(run):
    """"Image 18 shows a bag (Bag), and the model says Bag, with a confidence of
    {single_confidence}. Bags are among the easiest classes" """
    g = glued(run)
    assert g["single_label"] == g["single_prediction"] == BAG
    # The cell prints the confidence that the sentence quotes.
    assert f"confidence: {g['single_confidence']:.1%}" in run(PAGE).text
    accuracy = g["class_accuracy"]
    assert sorted(accuracy, reverse=True).index(accuracy[BAG]) < 3


def test_fashion_summary(run):
    """"The hidden layer gained {hidden_gain} percentage points over the linear model; the
    small convolutional network, trained for two epochs, did not clearly beat the dense
    network; and the best validation accuracy ... was that of {best_name}. ... The errors
    that remain are mostly among garments for the upper body" """
    g = glued(run)
    assert g["hidden_gain"] > 0
    assert g["cnn_lead"] < 1.0
    assert g["tops_share"] > 0.5
