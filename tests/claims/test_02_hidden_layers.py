"""Claims of chapter 2, "Hidden layers": what its prose and alt texts say about its runs.

The page glues each run's whole history (`plain_history`, `dropout_history`: one list per
measurement, one value per epoch), so each test reads the curves themselves. The numbers
the prose quotes from a training log are checked against the log as the learner sees it
(`logs`: four decimals), so that the words never disagree with the output beside them.
"""

import re

import pytest

from tests.book import ANSI

PAGE = "02-hidden-layers"
# One epoch of `fit(..., verbose=2)`: "Epoch 3/20", then "196/196 - 2s - ... - loss: 0.0904 - ...".
EPOCH = re.compile(r"^Epoch (\d+)/\d+\n(\d+)/(\d+) - (.*)$", re.M)
MEASURE = re.compile(r"(\w+): (\d+\.\d+)")


@pytest.fixture(scope="module")
def page(run):
    return run(PAGE)


@pytest.fixture(scope="module")
def plain(page):
    return page.glue["plain_history"]


@pytest.fixture(scope="module")
def dropout(page):
    return page.glue["dropout_history"]


@pytest.fixture(scope="module")
def logs(page):
    """The log of each `fit` of the page, in order (without dropout, with dropout): one dict
    per epoch with the steps (done, of) and each measurement as printed, e.g. "0.9748"."""
    fits = []
    for _, text in page.outputs():
        epochs = {}
        for match in EPOCH.finditer(ANSI.sub("", text)):
            steps = (int(match[2]), int(match[3]))
            epochs[int(match[1])] = {"steps": steps, **dict(MEASURE.findall(match[4]))}
        if epochs:
            assert sorted(epochs) == list(range(1, len(epochs) + 1)), "an epoch is missing"
            fits.append([epochs[number] for number in sorted(epochs)])
    assert len(fits) == 2, f"expected the logs of two fits, found {len(fits)}"
    return fits


def shown(log, measure):
    """A measurement of every epoch, as the log prints it (four decimals), as numbers."""
    return [float(epoch[measure]) for epoch in log]


def argmin(values):
    return min(range(len(values)), key=values.__getitem__)


def argmax(values):
    return max(range(len(values)), key=values.__getitem__)


def rises(values):
    """Indices i at which values[i] is higher than values[i - 1]."""
    return [i for i in range(1, len(values)) if values[i] > values[i - 1]]


def only_lowest(values, i):
    """values[i] is below every other value: no tie at the precision of `values`."""
    return all(v > values[i] for j, v in enumerate(values) if j != i)


def test_plain_curves_alt(plain):
    """02, alt text of fig-plain-curves: "Left, the loss: the validation curve falls during
    the first epochs, reaches its lowest point at a dashed vertical line and then drifts
    upwards, with ups and downs; the training curve goes on falling well below it and
    flattens out close to zero. Right, the accuracy: the training curve climbs almost to 1
    and stays there, while the validation curve levels off below it." """
    loss, val_loss = plain["loss"], plain["val_loss"]
    acc, val_acc = plain["accuracy"], plain["val_accuracy"]
    best = argmin(val_loss)
    # The validation loss falls at first, bottoms out well before the end, then drifts up
    # with ups and downs (at least one fall after its lowest point).
    assert val_loss[1] < val_loss[0] and val_loss[2] < val_loss[1]
    assert 2 <= best <= len(val_loss) - 5
    assert val_loss[-1] > 1.15 * val_loss[best]
    assert any(i > best + 1 for i in set(range(1, len(val_loss))) - set(rises(val_loss)))
    # The training loss goes on falling after that epoch and flattens out far below the
    # validation loss, close to zero (on an axis that starts at zero and reaches the
    # first epoch's loss, the last five epochs lie within 5% of its height).
    assert min(loss[best:]) < loss[best] / 5
    assert all(t < val_loss[-1] / 5 for t in loss[-5:])
    assert all(t < 0.05 * max(loss) for t in loss[-5:])
    # Training accuracy climbs almost to 1 and stays there; validation levels off below.
    assert all(a > 0.995 for a in acc[-5:])
    after = val_acc[best:]
    assert max(after) - min(after) < 0.01
    assert all(v < a for v, a in zip(val_acc[best:], acc[best:]))


def test_curves_improve_together_at_first(plain):
    """02: "During the first epochs all four curves improve together." """
    for epoch in (1, 2):
        assert plain["loss"][epoch] < plain["loss"][epoch - 1]
        assert plain["val_loss"][epoch] < plain["val_loss"][epoch - 1]
        assert plain["accuracy"][epoch] > plain["accuracy"][epoch - 1]
        assert plain["val_accuracy"][epoch] > plain["val_accuracy"][epoch - 1]


def test_batches_of_256(page, logs):
    """02: "[Each epoch] also has about half as many steps, the updates of the weights that
    the optimizer makes after each batch: our 50,000 training images make 196 batches of
    256, the number at the start of each line of the log, where batches of 128 would make
    391." """
    steps, steps_128 = page.glue["steps_256"], page.glue["steps_128"]
    for log in logs:
        assert {epoch["steps"] for epoch in log} == {(steps, steps)}
    assert abs(steps_128 - 2 * steps) <= 1, "not about half as many"


def test_plain_validation_loss_turns_up(page, plain, logs):
    """02: "The validation loss is lowest at epoch 6 (0.0827); after that it drifts upwards,
    with ups and downs, and ends at 0.1068. The validation accuracy, meanwhile, hardly
    moves: from that epoch on it stays between 97.48% and 97.97%." """
    g, log = page.glue, logs[0]
    val_loss = plain["val_loss"]
    best = argmin(val_loss)
    assert best < len(val_loss) - 5, "the lowest validation loss should be well before the end"
    assert val_loss[-1] > 1.15 * val_loss[best], "the validation loss should end clearly higher"
    # Upwards on the whole: the second half after the best epoch is higher than the first.
    after = val_loss[best + 1:]
    half = len(after) // 2
    assert sum(after[half:]) / len(after[half:]) > sum(after[:half]) / half
    # The log shows the same lowest epoch, with no tie, and the values the text quotes.
    assert only_lowest(shown(log, "val_loss"), best)
    assert f"{g['plain_best_val_loss']:.4f}" == log[best]["val_loss"]
    assert f"{g['plain_last_val_loss']:.4f}" == log[-1]["val_loss"]
    # Hardly moves: less than one percentage point between the lowest and highest values
    # that the log shows from that epoch on, which are the ones the text quotes.
    val_acc = shown(log[best:], "val_accuracy")
    assert max(val_acc) - min(val_acc) < 0.01
    assert round(g["plain_val_accuracy_low"], 4) == min(val_acc)
    assert round(g["plain_val_accuracy_high"], 4) == max(val_acc)


def test_plain_training_loss_falls_unevenly(page, plain, logs):
    """02: "The training loss, on the other hand, goes on falling long after that epoch,
    to a small fraction of the validation loss. Not smoothly, though [...]: from one epoch
    to the next it rises 4 times. It is lowest at epoch 17 (0.0035) and ends a little higher,
    at 0.0076; the training accuracy, likewise, reaches 99.91% and then slips back
    slightly, to 99.75% in the last epoch." """
    loss, val_loss, acc = plain["loss"], plain["val_loss"], plain["accuracy"]
    g, log = page.glue, logs[0]
    best_val = argmin(val_loss)
    lowest = argmin(loss)
    assert lowest > best_val + 3, "the training loss should keep falling long after"
    assert min(loss) < val_loss[best_val] / 5, "a small fraction of the validation loss"
    assert rises(loss), "not smoothly: it should rise at least once"
    assert lowest < len(loss) - 1 and loss[-1] > min(loss), "it ends above its lowest value"
    assert loss[-1] < val_loss[best_val] / 3, "a little higher, still far below validation"
    assert loss[-1] - min(loss) < 0.05 * (loss[0] - min(loss)), "a little, next to its fall"
    assert argmax(acc) < len(acc) - 1 and acc[-1] < max(acc), "accuracy slips back at the end"
    assert max(acc) - acc[-1] < 0.005, "slightly: less than half a percentage point"
    # What the text counts and quotes is what the log shows: every rise is visible at four
    # decimals, the lowest epoch has no tie, and the quoted values are those of the log.
    assert len(rises(shown(log, "loss"))) == g["plain_train_rises"] == len(rises(loss))
    assert only_lowest(shown(log, "loss"), lowest)
    assert f"{g['plain_train_min_loss']:.4f}" == log[lowest]["loss"]
    assert f"{g['plain_train_loss']:.4f}" == log[-1]["loss"]
    assert round(g["plain_train_max_accuracy"], 4) == max(shown(log, "accuracy"))
    assert f"{g['plain_train_accuracy']:.4f}" == log[-1]["accuracy"]


def test_training_curves_hide_overfitting(plain):
    """02: "Note that the training curves alone would never have revealed it: apart from
    those small setbacks, they go on improving long after the validation loss has turned
    upwards." (Also the summary: "the validation loss turns upwards while the training loss
    stays far below it".)"""
    loss, val_loss, acc = plain["loss"], plain["val_loss"], plain["accuracy"]
    best = argmin(val_loss)
    assert loss[-1] < loss[best] / 2 and acc[-1] > acc[best]
    assert all(t < v for t, v in zip(loss[best:], val_loss[best:]))
    # The setbacks are small: each rise after the best epoch is less than a quarter of how
    # much the training loss fell from that epoch to its lowest value.
    fall = loss[best] - min(loss)
    assert all(loss[i] - loss[i - 1] < fall / 4 for i in rises(loss) if i > best)


def test_dropout_demo_varies(page):
    """02: "The surviving inputs have become 1.43, and the zeros fall in different places
    in each row; even their number changes from row to row." (And the code: called
    without training=True, the layer changes nothing.)"""
    g = page.glue
    rows = g["demo_dropped"]
    survivors = {value for row in rows for value in row if value != 0}
    assert len(survivors) == 1, "every surviving input should have become the same value"
    assert survivors.pop() == pytest.approx(1 / (1 - 0.3), abs=0.005)
    masks = [tuple(value == 0 for value in row) for row in rows]
    assert len(set(masks)) == len(masks), "the zeros should fall in different places"
    zeros = [sum(mask) for mask in masks]
    assert len(set(zeros)) > 1, "the number of zeros should change from row to row"
    assert g["demo_unchanged"] is True


def test_early_stopping_stopped_early(page, dropout, logs):
    """02: "Training stopped after 13 of the 20 epochs we allowed: the validation loss had
    not set a new low for three epochs in a row since epoch 10, and the callback put back
    the weights of that epoch." """
    g, log = page.glue, logs[1]
    epochs, best = len(dropout["val_loss"]), argmin(dropout["val_loss"]) + 1
    assert epochs < 20
    assert epochs - best == 3
    # What the callback itself recorded (its stopped_epoch stays 0 if it never stops)...
    assert g["callback_stopped_epoch"] == epochs
    assert g["callback_best_epoch"] == best
    # ... what it printed, and what the learner reads in the val_loss column: the lowest
    # value at that epoch, with no tie.
    assert f"Epoch {epochs}: early stopping" in page.text
    assert f"the best epoch: {best}." in page.text
    assert len(log) == epochs and only_lowest(shown(log, "val_loss"), best - 1)


def gap_at(history, metric, epoch):
    return abs(history["val_" + metric][epoch] - history[metric][epoch])


def test_dropout_narrows_the_gap(page, plain, dropout, logs):
    """02: "the training and validation curves stay closer together than without it. At the
    last epoch of this training, the gap between them is 0.044 in loss and 0.94 points in
    accuracy, against 0.090 and 1.85 points for the network without dropout at the same
    epoch. And the lowest validation loss, 0.0644, is lower than that of the network
    without dropout (0.0819)." """
    g = page.glue
    last = len(dropout["loss"]) - 1  # the last epoch both networks trained
    for metric, scale in (("loss", 1), ("accuracy", 100)):
        assert g[f"dropout_{metric}_gap"] == scale * gap_at(dropout, metric, last)
        assert g[f"plain_{metric}_gap"] == scale * gap_at(plain, metric, last)
        assert gap_at(dropout, metric, last) < gap_at(plain, metric, last), metric
    # Lower in the logs too, as printed, and the text quotes the logs' values.
    plain_lowest, dropout_lowest = min(shown(logs[0], "val_loss")), min(shown(logs[1], "val_loss"))
    assert dropout_lowest < plain_lowest
    assert float(f"{g['dropout_best_val_loss']:.4f}") == dropout_lowest
    assert float(f"{g['plain_best_val_loss']:.4f}") == plain_lowest


def test_dropout_curves_alt(plain, dropout):
    """02, alt text of fig-dropout-curves: "...over fewer epochs. The training and
    validation curves stay closer together than in the previous figure, in both the loss
    and the accuracy; in the first epochs the training curves are the worse ones. The
    validation loss reaches a lower minimum than in the previous figure. A dashed vertical
    line marks its lowest point, a few epochs before the end." (closer, to the eye: at most
    three quarters of the distance without dropout)"""
    assert len(dropout["loss"]) < len(plain["loss"])
    last = len(dropout["loss"]) - 1
    for metric in ("loss", "accuracy"):
        assert gap_at(dropout, metric, last) < 0.75 * gap_at(plain, metric, last), metric
    for epoch in (0, 1):
        assert dropout["loss"][epoch] > dropout["val_loss"][epoch]
        assert dropout["accuracy"][epoch] < dropout["val_accuracy"][epoch]
    assert min(dropout["val_loss"]) < min(plain["val_loss"])
    assert 1 <= last - argmin(dropout["val_loss"]) <= 3


def test_training_below_validation_at_first(page, logs):
    """02: "in its first epoch, the log reports a training accuracy of 89.72% against a
    validation accuracy of 95.31% (with dropout, 85.81% against 95.55%). [...] The two
    effects together make the gap last longer: without dropout, the training accuracy first
    overtakes the validation accuracy at epoch 3; with dropout, only at epoch 9." """
    g = page.glue
    for name, log in (("plain", logs[0]), ("dropout", logs[1])):
        assert f"{g[f'{name}_first_accuracy']:.4f}" == log[0]["accuracy"], name
        assert f"{g[f'{name}_first_val_accuracy']:.4f}" == log[0]["val_accuracy"], name
        # As the log shows them, to four decimals.
        acc, val_acc = shown(log, "accuracy"), shown(log, "val_accuracy")
        overtakes = g[f"{name}_overtakes"]
        assert overtakes > 1, f"{name}: the training accuracy is never below validation"
        # "first overtakes at epoch N": below (or equal) before it, above at it.
        assert all(a <= v for a, v in zip(acc[:overtakes - 1], val_acc)), name
        assert acc[overtakes - 1] > val_acc[overtakes - 1], name
    assert g["dropout_overtakes"] > g["plain_overtakes"]


def test_small_gap_on_the_test_set(page):
    """02: "The network with dropout and early stopping reads 98.13% of the test digits
    correctly, and the one without them 97.95%. On MNIST the gap between the two is
    small, 0.18 percentage points." (The dense network must also reach the book's 0.975.)"""
    g = page.glue
    printed = {name: float(value) for name, value in
               re.findall(r"^(with|without) dropout: +(\d\.\d+)$", page.text, re.M)}
    assert printed == {"with": round(g["test_accuracy"], 4), "without": round(g["plain_test_accuracy"], 4)}
    # The gap quoted is the difference of the two accuracies quoted.
    quoted = {name: round(100 * g[name], 2) for name in ("test_accuracy", "plain_test_accuracy")}
    assert f"{g['test_gap']:.2f}" == f"{abs(quoted['test_accuracy'] - quoted['plain_test_accuracy']):.2f}"
    assert g["test_gap"] < 0.5
    assert g["test_accuracy"] >= 0.975


def test_far_ahead_of_the_linear_model(page, run):
    """02: "The step from the linear model of the previous chapter is far larger: that
    model got several times as many test digits wrong as either of these two networks." """
    linear_errors = 1 - run("01-first-neural-network").glue["test_accuracy"]
    for name in ("test_accuracy", "plain_test_accuracy"):
        assert linear_errors >= 3 * (1 - page.glue[name]), name
    # Far larger than the step between the two networks.
    gain = (1 - page.glue["test_accuracy"]) - linear_errors
    assert abs(gain) > 5 * page.glue["test_gap"] / 100


def test_evaluated_training_accuracy_is_higher(page, dropout, logs):
    """02, solution of ex-02-train-evaluate: "For that epoch the log reported a training
    accuracy of 98.36% and a validation accuracy of 98.16%; measured like the validation
    set, the same weights read 99.47% of the training images correctly, more than the
    validation images." """
    g, log = page.glue, logs[1]
    best = argmin(dropout["val_loss"])
    assert f"{g['logged_train_accuracy']:.4f}" == log[best]["accuracy"]
    assert f"{g['logged_val_accuracy']:.4f}" == log[best]["val_accuracy"]
    evaluated = f"{g['evaluated_train_accuracy']:.4f}"
    assert f"accuracy: {evaluated}" in page.text, "the text should quote evaluate's line"
    # Higher as printed, not only in the last decimals that nobody sees.
    assert float(evaluated) > float(log[best]["accuracy"])
    assert float(evaluated) > float(log[best]["val_accuracy"])


def test_patience_one_stops_too_soon(page, logs):
    """02, solution of ex-02-patience: "Here that is epoch 9, and the callback would have
    restored the weights of epoch 8, with a validation loss of 0.0659. Judged by the
    validation loss, the quantity the callback watches, it would have been a worse choice:
    the validation loss went down again afterwards and reached its lowest value, 0.0645, at
    epoch 10. Judged by the validation accuracy, the two epochs tie at the precision the
    log shows: 98.16% for epoch 8, 98.16% for epoch 10." (or, where they do not tie: "the
    two epochs are 0.26 percentage points apart: 98.00% for epoch 8, 98.26% for epoch 14"), or,
    where patience=1 restores the best epoch too: "In this run that is also the best epoch
    [...] and trained 2 epochs fewer. That was luck, not a rule [...]" """
    g, log = page.glue, logs[1]
    # The page's simulation of the callback agrees with what the callback did (patience=3).
    assert g["patience3_simulated"] == [g["callback_stopped_epoch"], g["callback_best_epoch"]]
    # Going down the val_loss column as the hint says: the first epoch that is not a new
    # low, as printed, is where patience=1 stops; the one before it is restored.
    val_loss = shown(log, "val_loss")
    stop = next(i for i in range(1, len(val_loss)) if val_loss[i] >= min(val_loss[:i])) + 1
    assert (g["patience1_stop"], g["patience1_restored"]) == (stop, stop - 1)
    best = g["callback_best_epoch"]
    assert f"{g['patience1_val_loss']:.4f}" == log[stop - 2]["val_loss"]
    assert val_loss[best - 1] == min(val_loss)
    # Which words the run chose: patience=1 kept the best epoch too, or stopped too soon.
    assert g["patience_one_found_best"] == (stop - 1 == best)
    if g["patience_one_found_best"]:
        # "...the validation loss set a new low at every epoch up to its lowest value (as
        # `stop` above, the first epoch that sets none, says), so patience=1 would have kept
        # the same weights as patience=3 and trained N epochs fewer"
        assert g["patience1_epochs_saved"] == g["callback_stopped_epoch"] - stop > 0
        return
    assert stop < best
    assert val_loss[stop - 2] > val_loss[best - 1]
    # Tie or gap in accuracy, at the four decimals of the log, as the run chose the words.
    assert g["patience_accuracy_tie"] == (log[stop - 2]["val_accuracy"] == log[best - 1]["val_accuracy"])
    assert abs(g["patience_accuracy_gap"] - 100 * abs(g["patience1_val_accuracy"] - g["best_val_accuracy"])) < 1e-9
    assert f"{g['patience1_val_accuracy']:.4f}" == log[stop - 2]["val_accuracy"]
    assert f"{g['best_val_accuracy']:.4f}" == log[best - 1]["val_accuracy"]


def test_overfitting_caught_in_the_act(plain):
    """02: "This is overfitting [...] caught in the act. [...] That knowledge lowers the
    training loss but does not carry over to new images [...] That is why the validation
    loss rises while the validation accuracy barely moves." """
    loss, val_loss, val_acc = plain["loss"], plain["val_loss"], plain["val_accuracy"]
    best = argmin(val_loss)
    assert best < len(val_loss) - 1 and val_loss[-1] > 1.15 * val_loss[best]
    assert loss[-1] < loss[best]
    assert abs(val_acc[-1] - val_acc[best]) < 0.01
