"""Claims of chapter 1, "Your first neural network" / "Tu primera red neuronal".

Each test protects the sentence of its docstring (marked `% claim: NAME` in both editions)
and reads the executed page from the build."""

import math
import re

PAGE = "01-first-neural-network"


def page(run):
    return run(PAGE)


def increasing(values):
    return all(b > a for a, b in zip(values, values[1:]))


def decreasing(values):
    return all(b < a for a, b in zip(values, values[1:]))


def quickly_then_slowly(values):
    """The change from the first epoch to the second is the largest of all, and the first
    half of training changes the values more than the second half."""
    steps = [abs(b - a) for a, b in zip(values, values[1:])]
    middle = len(values) // 2
    first_half = abs(values[middle] - values[0])
    second_half = abs(values[-1] - values[middle])
    return steps[0] == max(steps) and first_half > second_half


def test_data_shapes(run):
    """01: "There are 60,000 training images and 10,000 test images, each a 28 × 28 grid of
    whole numbers between 0 (black) and 255 (white), stored as `uint8`. The digits are
    written in light strokes on a black background: most pixels are 0." """
    r = page(run)
    assert "train: (60000, 28, 28) uint8" in page(run).text
    assert "test:  (10000, 28, 28) uint8" in page(run).text
    # the scaled pixels run from 0 to 1, and most are 0: the background is black
    assert "0.0 1.0" in page(run).text
    assert r.glue["zero_pixel_fraction"] > 0.5


def test_digits_roughly_balanced(run):
    """01: "The ten digits appear roughly equally often, about 6,000 times each." """
    counts_line = [line for line in page(run).text.splitlines() if re.fullmatch(r"\[[\d\s]+\]", line.strip())
                   and len(line.split()) == 10 and int(line.strip("[] ").split()[0]) > 1000]
    assert counts_line, "the bincount line is missing from the outputs"
    counts = [int(n) for n in counts_line[0].strip("[] ").split()]
    assert sum(counts) == 60_000
    assert all(5_000 <= n <= 7_000 for n in counts), counts


def test_digits_grid_first_row(run):
    """01 (alt text of fig-digits-grid): "The first row reads 5, 0, 4, 1, 9." """
    assert re.search(r"\[5 0 4 1 9 ", page(run).text)


def test_linear_model_parameters(run):
    """01: "`Flatten` unrolls each image, row after row, into a single list of 28 × 28 = 784
    numbers. It learns nothing (0 parameters)"; "`Dense` ... has 784 × 10 + 10 = 7,850
    parameters"; "`(None, 784)` means 'any number of images, 784 numbers each'" (and the
    figure fig-linear-network: "Dense: 7,850 weights and biases", in both editions)."""
    from tests.book import BOOK, LANGUAGES
    from book._ext.typography import typeset_glued
    from tests.book import number_style

    r = page(run)
    g = r.glue
    assert re.search(rf"flatten \(Flatten\).*\(None, {g['pixel_count']}\).*\b0\b", r.text)
    assert re.search(rf"dense \(Dense\).*\(None, 10\).*{g['linear_parameters']:,}", r.text)
    assert f"Total params: {g['linear_parameters']:,}" in r.text
    assert g["pixel_count"] * 10 + 10 == g["linear_parameters"]
    for lang in LANGUAGES:
        svg = (BOOK / lang / "figures" / "01-linear-network.svg").read_text(encoding="utf8")
        assert typeset_glued(f"{g['linear_parameters']:,}", number_style(lang)) in svg, lang
        assert f"{g['pixel_count']} " in svg, lang


def test_untrained_model_guesses(run):
    """01: "To the first test image it gives the ten digits probabilities from 0.07 to 0.14:
    no digit gets anything like the certainty of a trained model, and they add up to 1, so
    they average 1/10. Over the whole test set it
    gets 8.2% of the images right, about one in ten: what you would get by guessing
    blindly. And its loss is 2.36, close to ln 10 ≈ 2.30." """
    g = page(run).glue
    first = g["untrained_first"]
    assert len(first) == 10
    assert max(first) < 0.5, first
    assert g["untrained_lowest"] == min(first) and g["untrained_highest"] == max(first)
    assert abs(g["untrained_accuracy"] - 0.1) <= 0.04
    assert abs(g["untrained_loss"] - math.log(10)) <= 0.15


def test_loss_valley_figure(run):
    """01 (alt text of fig-loss-valley): "the loss as a function of one weight, shaped like a
    valley with its bottom just right of 0. On the left, with learning rate 10, red arrows
    go down the left side of the valley in steps that get shorter and stop at the bottom.
    On the right, with learning rate 30, the arrows jump across the bottom of the valley
    from one side to the other, again and again." """
    g = page(run).glue
    bottom = g["valley_bottom"]
    assert 0 < bottom < 2
    small, large = g["small_rate_path"], g["large_rate_path"]
    # left: every step goes right (down the left side), shorter and shorter, to the bottom
    assert increasing(small)
    assert decreasing([b - a for a, b in zip(small, small[1:])])
    assert abs(small[-1] - bottom) <= 0.1
    # right: from the second step on, every step crosses the bottom
    sides = [w > bottom for w in large[1:]]
    assert all(a != b for a, b in zip(sides, sides[1:])), large


def test_small_and_large_steps(run):
    """01: "With the smaller learning rate, every step goes downhill, and the steps get
    shorter as the ground flattens, until w settles at the bottom of the valley, at about
    0.76. With the larger one, the steps carry w past the bottom, to the other side of
    the valley, and back again: it never settles." """
    g = page(run).glue
    bottom, lowest = g["valley_bottom"], g["valley_lowest_loss"]
    small_losses, large_losses = g["small_rate_losses"], g["large_rate_losses"]
    # downhill at every step (up to float32 rounding once at the bottom)
    assert all(b <= a + 1e-5 for a, b in zip(small_losses, small_losses[1:]))
    assert small_losses[-1] - lowest <= 0.005
    small = g["small_rate_path"]
    assert abs(small[-1] - bottom) <= 0.1  # the bottom of the curve, drawn every 0.1
    assert abs(small[-1] - small[-2]) < 0.05  # settled: the last step barely moves
    large = g["large_rate_path"]
    crossings = sum((a > bottom) != (b > bottom) for a, b in zip(large, large[1:]))
    assert crossings >= 5
    # never settles: the last step is still a long jump, and the loss stays above the bottom
    assert abs(large[-1] - large[-2]) > 1
    assert large_losses[-1] - lowest > 0.01
    assert large_losses[-1] > small_losses[-1]


def test_steps_per_epoch_in_log(run):
    """01: "468 full batches of 128 images and a last one with the 96 images left over,
    469 steps in all. That is the 469/469 that Keras prints at each epoch of the training
    below." """
    r = page(run)
    steps, last, full = r.glue["steps_per_epoch"], r.glue["last_batch"], r.glue["full_batches"]
    log_lines = re.findall(r"^(\d+)/(\d+) - .*accuracy.*loss", r.text, re.M)
    fit_lines = log_lines[1:11]  # after the untrained model's evaluate, the 10 epochs of fit
    assert fit_lines == [(str(steps), str(steps))] * 10, log_lines
    # The training images the page printed, in the batches Keras counted.
    images = int(re.search(r"train: \((\d+), 28, 28\)", r.text).group(1))
    assert full == steps - 1 and full * 128 + last == images and 0 < last < 128


def test_evaluate_batches_in_log(run):
    """01: "`evaluate` works in batches too, of 32 images unless we say otherwise ...
    That is where the 313 of the line printed when we measured the untrained model on the
    10,000 test images comes from (10,000 / 32 = 312.5, rounded up), and the 1,875 that you
    will see when we measure it on the 60,000 training images." """
    r = page(run)
    batches = r.glue["test_batches"]
    first_log = re.search(r"^(\d+)/(\d+) - .*accuracy", r.text, re.M)  # the untrained evaluate
    assert first_log and first_log.group(1) == first_log.group(2) == str(batches)
    assert batches == math.ceil(r.glue["test_batches_exact"]) != r.glue["test_batches_exact"]
    # "... and the 1,875 that you will see when we measure it on the 60,000 training images"
    train_batches = r.glue["train_batches"]
    assert re.search(rf"^{train_batches}/{train_batches} - .*accuracy", r.text, re.M)


def test_training_curves_figure(run):
    """01 (alt text of fig-training-curves): "the loss falls steeply from the first epoch to
    the second, then much more gently. Right, the accuracy rises steeply from the first
    epoch to the second, then much more gently." """
    h = page(run).glue["history"]
    for values in (h["loss"], h["accuracy"]):
        steps = [abs(b - a) for a, b in zip(values, values[1:])]
        assert steps[0] > 3 * max(steps[1:])
    assert decreasing(h["loss"]) and increasing(h["accuracy"])


def test_loss_down_accuracy_up(run):
    """01: "The loss goes down and the accuracy goes up at every epoch, quickly at first and
    then more slowly." """
    h = page(run).glue["history"]
    assert len(h["loss"]) == 10
    assert decreasing(h["loss"])
    assert increasing(h["accuracy"])
    assert quickly_then_slowly(h["loss"])
    assert quickly_then_slowly(h["accuracy"])


def test_first_epoch_is_an_average(run):
    """01: "That is why the first epoch's accuracy, 83.3%, lies so far below the second's,
    90.2%: it mixes the first batches, when the model was still guessing, with the later
    ones." """
    g = page(run).glue
    accuracy = g["history"]["accuracy"]
    # "so far below": the jump from epoch 1 to 2 exceeds everything the later epochs add
    assert accuracy[1] - accuracy[0] > accuracy[-1] - accuracy[1]


def test_templates_figure(run):
    """01 (alt text of fig-templates): "The template of 1 has a red vertical stroke in the
    middle; the template of 0 is blue in that same place." """
    strips = page(run).glue["template_middle_strips"]
    assert len(strips) == 10
    assert strips[1] > 0 and strips[1] == max(strips)
    assert strips[0] < 0


def test_templates_middle_strip(run):
    """01: "the template of 1 has a red vertical stroke down the middle, where every 1 has
    ink, and the template of 0 is blue in that same place, where a 0 has none." """
    strips = page(run).glue["template_middle_strips"]
    assert strips[1] == max(strips) > 0
    assert strips[0] == min(strips) < 0


def test_templates_blue_frame(run):
    """01: "Most templates also share a blue frame, a little inside their edges. Few strokes
    reach that far: over the whole training set, only 1.5% of the pixels two pixels in from
    the edges carry any ink." (and the alt text of fig-templates: "most have a blue frame a
    little inside their edges") """
    g = page(run).glue
    frames = g["template_frames"]
    assert len(frames) == 10
    assert all(f < 0 for f in frames), frames  # every digit: ink there lowers its score
    assert g["frame_inked"] < 0.05  # "few digits reach that far"


def test_fit_average_below_final(run):
    """01: "On the training set, the finished model classifies 92.9% of the images
    correctly: a little more than the 92.7% that `fit` printed for the last epoch." """
    g = page(run).glue
    assert g["train_accuracy"] > g["last_epoch_accuracy"]
    assert g["train_accuracy"] - g["last_epoch_accuracy"] < 0.01  # "a little"
    assert round(g["train_accuracy"], 3) != round(g["last_epoch_accuracy"], 3)  # visibly, at .1%


def test_small_train_test_gap(run):
    """01: "On the test set the model reaches 92.6%, against 92.9% on the training set: a
    difference of 0.3 percentage points. It is usual for a model to do a little worse on
    new data ... A small linear model like ours has little room to memorise, so its gap
    stays small." """
    g = page(run).glue
    assert g["test_accuracy"] < g["train_accuracy"]
    assert 0 < g["accuracy_gap_points"] < 1


def test_first_prediction_is_right(run):
    """01: "The model says 7, with a confidence of 99.5%, and it is right. Compare these ten
    probabilities with the ones the untrained model gave to the same image: training has
    moved almost all of the confidence onto one digit." (almost all: more than 90%, where
    the untrained model gave no digit even half)"""
    r = run(PAGE)
    assert r.glue["first_prediction"] == r.glue["first_label"]
    assert r.glue["first_confidence"] > 0.9
    assert max(r.glue["untrained_first"]) < 0.5


def test_linear_model_solid_start(run):
    """01: "A single layer already reads 92.6% of the test digits correctly, a solid start;
    but it still gets 742 of the 10,000 test images wrong." """
    g = page(run).glue
    assert g["test_accuracy"] >= 0.92


def test_learning_rates_compared(run):
    """01 (solution of ex-01-learning-rate): "With 2, every step goes downhill, but the
    steps are so short that after 8 of them w is still far up the slope, at -2.30: too
    slow. With 20, w goes past the bottom, but each swing is shorter than the one before,
    and it settles at the bottom anyway, at 0.76 ... With 60, w jumps back and forth across
    the valley, sometimes much farther than where it started: as far as -14.15, well
    outside the part of the curve that the figure shows. ... here, 10 and 20 both work." """
    g = page(run).glue
    bottom = g["valley_bottom"]
    paths = g["more_paths"]
    slow, overshoot, wild = paths["2"], paths["20"], paths["60"]
    # 2: downhill all the way (always moving right, never reaching the bottom), still far
    assert increasing(slow) and slow[-1] < bottom
    assert bottom - slow[-1] > 2
    # 20: past the bottom, then ever shorter swings, settled at the bottom
    assert max(overshoot) > bottom + 0.1
    swings = [abs(b - a) for a, b in zip(overshoot, overshoot[1:])]
    assert decreasing(swings)
    assert abs(overshoot[-1] - g["settled"]) < 0.05
    # 60: back and forth, beyond its start and beyond the drawn curve (-5 to 5)
    crossings = sum((a > bottom) != (b > bottom) for a, b in zip(wild, wild[1:]))
    assert crossings >= 4
    assert min(wild) < -5 < wild[0]
    # 10 and 20 both work
    assert abs(g["settled"] - bottom) <= 0.1 and abs(overshoot[-1] - bottom) <= 0.1
    # ...and of 2, 20 and 60, the exercise's answer box and check want 20
    assert g["chosen_rate"] == 20


def test_always_black_near_edges(run):
    """01 (ex-01-always-black): "Some pixels, near the edges, are black in every one of the
    60,000 training images." """
    g = page(run).glue
    assert g["always_black"] > 0
    assert g["always_black_edge_distance"] <= 2


def test_always_black_weights_unchanged(run):
    """01 (solution of ex-01-always-black): "The weights of those 67 pixels are exactly the
    random numbers they started with: training never touched them." """
    g = page(run).glue
    assert g["always_black_unchanged"] is True
    assert f"pixels black in every training image: {g['always_black']}" in page(run).text
    assert "weights unchanged: True" in page(run).text


def test_frame_from_adam(run):
    """01: "Before training, the ten weights of a frame pixel add up to 0.008 on average;
    after Adam, to -2.153: the blue frame. After plain gradient descent, they still add up
    to 0.008, and no pixel's sum moved by more than 2.4e-07, a rounding error." """
    g = page(run).glue
    assert g["frame_sum_adam"] < g["frame_sum_before"] - 0.5, "Adam did not lower the frame's sums"
    assert abs(g["frame_sum_sgd"] - g["frame_sum_before"]) < 1e-3
    assert g["sgd_largest_sum_change"] < 1e-4, "plain gradient descent moved a pixel's sum"
    assert f"{g['frame_sum_sgd']:.3f}" == f"{g['frame_sum_before']:.3f}", "'still' at the precision shown"


def test_forward_pass_figure(run):
    """01 (fig-forward-pass and the text beside it): "The first score is 0 × 0.2 + 0.5 × 0.4
    + 1 × (−0.5) + 0.1 = −0.20 and the second 0.95 [...] the probabilities are 0.24 and
    0.76: the larger score gets the larger share [...] the loss is −ln 0.76 = 0.28": the
    diagram of both editions shows the numbers of the page's cell."""
    from xml.etree import ElementTree

    from tests.book import BOOK, LANGUAGES

    example = page(run).glue["forward_example"]
    assert example["pixels"] == [0.0, 0.5, 1.0] and example["probabilities"][1] > example["probabilities"][0]
    for lang in LANGUAGES:
        root = ElementTree.parse(BOOK / lang / "figures" / "01-forward-pass.svg").getroot()
        shown = {t.get("id"): float((t.text or "").replace("−", "-").replace("+", "").strip())
                 for t in root.iter() if t.get("id", "").split("-")[0] in
                 ("pixel", "weight", "bias", "score", "probability", "loss")}
        for i, pixel in enumerate(example["pixels"]):
            assert shown[f"pixel-{i}"] == pixel, lang
            for j, weight in enumerate(example["weights"][i]):
                assert shown[f"weight-{i}-{j}"] == weight, lang
        for j in range(2):
            assert shown[f"bias-{j}"] == example["biases"][j], lang
            assert shown[f"score-{j}"] == round(example["scores"][j], 2), lang
            assert shown[f"probability-{j}"] == round(example["probabilities"][j], 2), lang
        assert shown["loss"] == round(example["loss"], 2), lang


def test_exact_slope_matches_nudging(run):
    """01: "The exact slope of our weight, 0.0123, is the one we measured by nudging,
    0.0123, and the same call gave the 7,850 slopes of all the parameters at once." """
    g = page(run).glue
    assert f"{g['exact_slope']:.4f}" == f"{g['nudged_slope']:.4f}", (g["exact_slope"], g["nudged_slope"])
    assert g["slope_count"] == g["linear_parameters"]


def test_linear_network_figure(run):
    """01 (fig-linear-network, its alt text and caption): "A 28 × 28 grid of pixels showing a
    handwritten 7, the first test image [...] softmax turns them into 10 probabilities,
    drawn as bars: by far the tallest is the bar of 7, the digit in the image"; "The image
    is the first test image, a 7, and the bars sketch what the trained model will answer:
    almost all of the probability on 7." (both editions' diagrams)"""
    import base64

    import numpy as np
    from xml.etree import ElementTree

    from book._ext.digit_pad import ARRAY_MIME, decode, pad_samples
    from tests.book import BOOK, LANGUAGES, glue_data

    r = page(run)
    glued = glue_data(LANGUAGES[0], PAGE)
    # The drawing pad's test digits (test_images[:8]), as the pad shows them: grey levels 0-255.
    first = pad_samples(*(decode(glued[key]["data"][ARRAY_MIME]) for key in ("pad_samples", "pad_labels")))[0]
    grey = np.frombuffer(base64.b64decode(first["pixels"]), dtype=np.uint8).reshape(28, 28).astype(int)
    first_label = first["label"]
    assert first_label == r.glue["first_label"]
    # The grey levels the diagram draws (ink-1 to ink-4): MNIST's 1-63, 64-127, 128-191, 192-255.
    expected_level = np.digitize(grey, [1, 64, 128, 192])
    # "what the trained model will answer: almost all of the probability on 7"
    assert r.glue["first_prediction"] == first_label and r.glue["first_confidence"] > 0.9
    svg = "{http://www.w3.org/2000/svg}"
    for lang in LANGUAGES:
        root = ElementTree.parse(BOOK / lang / "figures" / "01-linear-network.svg").getroot()
        shapes = {element.get("id"): element for element in root.iter() if element.get("id")}
        # The grid is 28 × 28: 29 lines each way, evenly spaced, and it says so.
        grid = shapes["image-grid"].get("d")
        xs = sorted({float(x) for x in re.findall(r"M([\d.]+) [\d.]+v", grid)})
        ys = sorted({float(y) for y in re.findall(r"M[\d.]+ ([\d.]+)h", grid)})
        assert len(xs) == len(ys) == 29, lang
        cell = xs[1] - xs[0]
        assert np.allclose(np.diff(xs), cell) and np.allclose(np.diff(ys), cell), lang
        assert "28 × 28" in " ".join(t.text or "" for t in root.iter(f"{svg}text")), lang
        # Its pixels are the first test image's, in their grey levels.
        drawn = np.zeros((28, 28), dtype=int)
        for level in range(1, 5):
            for x, y in re.findall(r"M([\d.]+) ([\d.]+)h", shapes[f"ink-{level}"].get("d")):
                row, column = round((float(y) - ys[0]) / cell), round((float(x) - xs[0]) / cell)
                drawn[row, column] = level
        assert (drawn == expected_level).all(), f"{lang}: the drawing is not the first test image"
        # The tallest bar, by far, is the image's digit.
        bars = [float(shapes[f"bar-{digit}"].get("height")) for digit in range(10)]
        tallest = int(np.argmax(bars))
        assert tallest == first_label, (lang, bars)
        assert bars[tallest] > 5 * max(b for d, b in enumerate(bars) if d != tallest), (lang, bars)


def test_templates_adam_and_sgd(run):
    """01 (fig-templates-adam-sgd, the text before it, its alt text and caption): "Plain
    gradient descent left no frame: a little inside the edges, where few strokes reach, its
    weights are still, give or take a little, the random numbers they started from." "Top,
    trained with Adam: most templates have a blue frame a little inside their edges.
    Bottom, trained with plain gradient descent: no template has that frame; there its
    pixels keep the fine red and blue speckle of the starting weights." "plain gradient
    descent moved the weights much less than Adam did." """
    g = page(run).glue
    adam, sgd = g["template_frames"], g["sgd_template_frames"]
    assert len(adam) == len(sgd) == 10
    # Adam: the frame is blue, in every template (their mean weight there is negative).
    assert all(a < 0 for a in adam), adam
    # SGD: no template's frame is as blue (or as red) as even the palest of Adam's.
    assert max(abs(s) for s in sgd) < min(abs(a) for a in adam), (sgd, adam)
    # ...because there its weights are still close to where they started.
    assert g["sgd_frame_start_correlation"] > 0.9
    changes = g["largest_weight_changes"]
    assert changes["SGD"] < changes["Adam"] / 2, changes
