"""Claims of chapter 5, "Saving and reusing a model": what the page says about its run."""

import math
import re

import pytest

PAGE = "05-save-and-reuse"


@pytest.fixture(scope="module")
def r(run):
    return run(PAGE)


def fit_batch_size(r):
    """The batch_size that the page's first training passes to fit, read from its code."""
    for cell in r.notebook.cells:
        if cell.cell_type == "code" and "history = model.fit(" in cell.source:
            return int(re.search(r"batch_size=(\d+)", cell.source).group(1))
    pytest.fail("no `history = model.fit(...)` cell")


def test_file_about_three_times_the_weights(r):
    """"The weights alone, 101,770 numbers of 4 bytes each, would take about 398 KiB. The
    file takes 1218 KiB, 3.1 times as much, because the optimizer's two numbers per weight
    travel with them: three numbers for every weight in all." """
    g = r.glue
    assert g["weights_kib"] == round(g["parameters"] * 4 / 1024)
    assert g["file_kib"] == round(g["file_bytes"] / 1024)
    assert g["size_ratio"] == pytest.approx(g["file_bytes"] / (g["parameters"] * 4))
    assert 2.9 <= g["size_ratio"] <= 3.3, "no longer about three numbers per weight"


def test_restored_model_keeps_its_scaling(r):
    """"The first layer of the loaded model is `Rescaling`: the scaling has come back from
    the file with everything else, so this model, wherever it is loaded, expects raw pixels
    from 0 to 255." """
    assert r.glue["restored_layers"][0] == "Rescaling"
    assert r.glue["pixel_range"] == ["uint8", 0, 255], "the data are not raw pixels from 0 to 255"


def test_optimizer_numbers_twice_the_weights(r):
    """"The last line of the summary, `Optimizer params`, counts the numbers that the
    optimizer keeps: 203,542, about twice as many as the 101,770 trainable parameters, two
    for every weight (plus a couple of its own, such as its step counter)." """
    g = r.glue
    assert g["trainable_parameters"] == sum(g["layer_parameters"]) == g["parameters"]
    extra = g["optimizer_numbers"] - 2 * g["trainable_parameters"]
    assert 1 <= extra <= 4, f"{extra} numbers beyond two per weight is not 'a couple'"


def test_identical_predictions(r):
    """"It said nothing, and `same` is `True`: the 10,000 rows of probabilities of the
    loaded model are exactly those of the original." """
    assert r.glue["identical_predictions"] is True


def test_optimizer_steps_come_back(r):
    """"Its `iterations` counter says how many training steps (one per batch) it has taken:
    469 batches of up to 128 images per epoch (60,000 images do not divide evenly, so the
    last batch holds only 96), for 3 epochs. The loaded copy remembers the same number,
    1,407, ..." """
    g = r.glue
    batch_size = fit_batch_size(r)
    assert g["batch_size"] == batch_size
    assert g["steps_per_epoch"] == math.ceil(g["train_count"] / batch_size)
    assert g["train_count"] % batch_size != 0, "the batches now divide the images evenly"
    assert 0 < g["last_batch"] < batch_size
    assert g["last_batch"] == g["train_count"] - (g["steps_per_epoch"] - 1) * batch_size
    assert g["iterations_original"] == g["steps_per_epoch"] * g["epochs"]
    assert g["iterations_restored"] == g["iterations_original"]


def test_single_image_figure(r):
    """Alt text: "On the left, a handwritten 7 from the test set. On the right, a bar chart
    of the ten digit probabilities, in which only the bar of the 7 is visible, reaching
    almost to the top." """
    g = r.glue
    probabilities = g["single_probabilities"]
    assert g["single_label"] == 7
    assert max(range(10), key=probabilities.__getitem__) == 7
    assert probabilities[7] >= 0.9, "the bar of the 7 no longer reaches almost to the top"
    others = [p for digit, p in enumerate(probabilities) if digit != 7]
    assert max(others) < 0.01, "another bar is visible in the chart"


def test_single_prediction_is_right(r):
    """"The reloaded model reads a 7, with a confidence of 99.9%, and it is right: the
    label is a 7 too." """
    g = r.glue
    assert g["single_prediction"] == g["single_label"]
    probabilities = g["single_probabilities"]
    assert g["single_prediction"] == max(range(10), key=probabilities.__getitem__)
    assert g["single_confidence"] == pytest.approx(max(probabilities))


def test_parameters_counted_by_hand(r):
    """Solution of ex-05-count: "The hidden layer has 784 × 128 weights plus 128 biases,
    100,480 in all; the output layer 128 × 10 + 10 = 1,290. In total, 101,770, the number
    of trainable parameters in the summary of the loaded model. ... 2 × 101,770 = 203,540.
    The summary's `Optimizer params` adds the few numbers that Adam keeps for itself ...
    60,000 / 256 = 234.375, so an epoch needs 235 batches, the last one with only 96
    images" """
    g = r.glue
    assert g["restored_layers"] == ["Rescaling", "Flatten", "Dense", "Dense"]
    # The loaded model's layers are the ones the hand count describes: 784 inputs, 128 and
    # 10 neurons (the run could break this by building another model).
    assert g["layer_parameters"] == [0, 0, g["hidden_parameters"], g["output_parameters"]]
    assert g["hidden_parameters"] == 784 * 128 + 128 and g["output_parameters"] == 128 * 10 + 10
    assert sum(g["layer_parameters"]) == g["trainable_parameters"]
    assert f"Trainable params: {g['trainable_parameters']:,}" in r.text
    # "Two for every parameter", and "the few numbers that Adam keeps for itself" on top.
    assert g["adam_numbers"] < g["optimizer_numbers"] <= g["adam_numbers"] + 4
    # The batches of 256 cover the training images the page loaded, the last one partly.
    assert 256 * (g["batches_256"] - 1) + g["last_batch_256"] == g["train_count"]
    assert 0 < g["last_batch_256"] < 256


def test_resumed_training_continues(r):
    """Solution of ex-05-continue: "The loss of the new epoch, 0.0873, is lower than that of
    the third epoch of the first training, 0.1128, and far from the 0.3478 of the first
    epoch ... The counter goes on too, from 1,407 to 1,876 steps." """
    g = r.glue
    assert g["last_loss"] == pytest.approx(g["history"]["loss"][-1])
    assert g["first_loss"] == pytest.approx(g["history"]["loss"][0])
    assert g["resumed_loss"] < g["last_loss"]
    assert g["resumed_loss"] < g["first_loss"] / 2, "no longer far from the first epoch"
    assert g["resumed_iterations"] == g["iterations_restored"] + g["steps_per_epoch"]


def test_scaling_twice_fails(r):
    """Solution of ex-05-twice: "The accuracy falls to 8.9%, and the model answers 5 for
    100.0% of the images. ... the model gives the same answer to all or nearly all of
    them. No error, no warning: just wrong answers." """
    g = r.glue
    assert g["twice_accuracy"] < 0.2, "scaling twice no longer ruins the accuracy"
    assert g["twice_accuracy"] < g["test_accuracy"] - 0.5
    assert g["twice_top_share"] >= 0.9, "the model no longer gives (nearly) one answer"
    assert g["twice_counts"][g["twice_top_digit"]] == max(g["twice_counts"])
