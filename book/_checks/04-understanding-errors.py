"""Checks of chapter 4's exercises (see checking.py): a fragment run after it."""

# The confusion matrix of exercise "Read a confusion matrix", as its statement gives it:
# rows, the true digits 3, 5 and 8; columns, the predicted ones.
STATEMENT_DIGITS = (3, 5, 8)
STATEMENT_MATRIX = ((80, 6, 4), (2, 95, 3), (10, 0, 100))


def same_fraction(value, exact, name):
    """An accuracy given as a fraction (0.917) or a percentage (91.7), right when it rounds
    the exact value to the precision given, up to half a point."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise NotYet(_("{name} must be a number."), name=name) from None
    scale = 100 if value > 1 else 1
    tolerance = max(0.0005 * scale, 1e-9)
    return abs(value - exact * scale) <= tolerance + 1e-9


@exercise(
    "ex-04-read-matrix",
    starter="""
        total_images = ____  # how many images the test set holds
        images_per_digit = ____  # [how many 3s, how many 5s, how many 8s]
        accuracy_per_digit = ____  # [the accuracy on the 3s, on the 5s, on the 8s]
        overall_accuracy = ____  # the accuracy on all the images
        most_frequent = ____  # the most frequent confusion, as (true digit, predicted digit)
    """,
    from_glue={"total_images": "ex_total", "images_per_digit": "ex_row_totals",
               "accuracy_per_digit": "ex_digit_accuracies", "overall_accuracy": "ex_accuracy",
               "most_frequent": "ex_most_frequent"},
    wrong=[
        ("overall_accuracy = sum(accuracy_per_digit) / 3", "plain average"),
        ("accuracy_per_digit = [80 / 92, 95 / 101, 100 / 107]", "row"),
        ("most_frequent = (3, 8)", "row"),
    ],
)
def read_matrix(learner):
    import numpy as np

    names = ("total_images", "images_per_digit", "accuracy_per_digit", "overall_accuracy", "most_frequent")
    total, per_digit, accuracies, overall, frequent = learner.values(*names)
    matrix = np.array(STATEMENT_MATRIX)
    rows = matrix.sum(axis=1)
    if whole_number(total, "total_images") != matrix.sum():
        raise NotYet(_("{name} is not the number of images: every image is counted once, in one "
                       "square of the table."), name="total_images")
    if np.shape(per_digit) != (3,) or list(per_digit) != rows.tolist():
        raise NotYet(_("{name} must hold three counts, one per true digit: a row holds all the "
                       "images of one true digit."), name="images_per_digit")
    exact = np.diag(matrix) / rows
    if np.shape(accuracies) != (3,):
        raise NotYet(_("{name} must hold three accuracies, one per digit."), name="accuracy_per_digit")
    if not all(same_fraction(a, e, "accuracy_per_digit") for a, e in zip(accuracies, exact)):
        raise NotYet(_("{name} is not right yet: divide each diagonal square by the total of its row, "
                       "the images of that true digit."), name="accuracy_per_digit")
    if not same_fraction(overall, np.trace(matrix) / matrix.sum(), "overall_accuracy"):
        if same_fraction(overall, exact.mean(), "overall_accuracy"):
            raise NotYet(_("{name} is the plain average of the three accuracies, but each digit "
                           "weighs as much as it has images: divide the diagonal's sum by the "
                           "table's."), name="overall_accuracy")
        raise NotYet(_("{name} is not right yet: the images read correctly are on the diagonal."),
                     name="overall_accuracy")
    errors = matrix - np.diag(np.diag(matrix))
    true, guess = np.unravel_index(np.argmax(errors), errors.shape)
    if tuple(int(d) for d in np.ravel(frequent)) != (STATEMENT_DIGITS[true], STATEMENT_DIGITS[guess]):
        raise NotYet(_("{name} is not the largest count off the diagonal, as (row's digit, column's "
                       "digit): the row is the true digit."), name="most_frequent")
    return _("A row holds the images of one true digit, the diagonal the right answers; and a "
             "confusion matrix need not be symmetric.")


@exercise(
    "ex-04-cnn-confusions",
    starter="""
        cnn_top_pairs = ____  # (true digit, predicted digit) of each confusion of the list, most frequent first
    """,
    wrong=[
        ("cnn_top_pairs = [(int(t), int(g)) for t, g in zip(*np.nonzero(cnn_confusion >= np.sort(cnn_confusion, axis=None)[-5]))]",
         "diagonal"),
        ("cnn_top_pairs = cnn_top_pairs[::-1]", "most frequent first"),
    ],
)
def cnn_confusions(learner):
    import numpy as np

    pairs = learner["cnn_top_pairs"]
    confusion = np.asarray(learner["cnn_confusion"])
    errors = confusion.copy()
    np.fill_diagonal(errors, 0)
    fifth = np.sort(errors, axis=None)[-5]
    expected = {(int(t), int(g)) for t, g in zip(*np.nonzero(errors >= fifth))}
    try:
        pairs = [(int(t), int(g)) for t, g in pairs]
    except (TypeError, ValueError):
        raise NotYet(_("{name} must be a list of pairs (true digit, predicted digit)."), name="cnn_top_pairs") from None
    if any(t == g for t, g in pairs):
        raise NotYet(_("{name} holds right answers: leave out the diagonal of the matrix, where "
                       "the true and the predicted digit are the same."), name="cnn_top_pairs")
    if set(pairs) != expected or len(pairs) != len(expected):
        if set(pairs) < expected:
            raise NotYet(_("{name} leaves out confusions that happen as often as the fifth one: "
                           "keep every one that ties with it."), name="cnn_top_pairs")
        raise NotYet(_("{name} does not list the convolutional network's most frequent confusions: "
                       "those of cnn_confusion, off its diagonal, at least as frequent as the "
                       "fifth."), name="cnn_top_pairs")
    counts = [errors[t, g] for t, g in pairs]
    if counts != sorted(counts, reverse=True):
        raise NotYet(_("{name} holds the right confusions; put the most frequent first."), name="cnn_top_pairs")
    return _("These are the convolutional network's own confusions; compare them with the dense "
             "network's list.")


@exercise(
    "ex-04-threshold",
    starter="""
        to_a_person = ____  # how many of the 10,000 test images a person would read
        get_through = ____  # how many of the model's mistakes would still get through
    """,
    wrong=[
        ("to_a_person = int((model.predict(test_images, verbose=0).max(axis=1) <= 0.9).sum())", "99%"),
        ("get_through = to_a_person", "get through"),
    ],
)
def threshold(learner):
    import numpy as np

    to_a_person, get_through = learner.values("to_a_person", "get_through")
    to_a_person = whole_number(to_a_person, "to_a_person")
    get_through = whole_number(get_through, "get_through")
    probabilities = learner["model"].predict(learner["test_images"], verbose=0, batch_size=1000)
    confidence = probabilities.max(axis=1)
    mistaken = np.argmax(probabilities, axis=1) != learner["test_labels"]
    if to_a_person != int((confidence <= 0.99).sum()):
        if to_a_person == int((confidence <= 0.9).sum()):
            raise NotYet(_("{name} counts the images at or below 90% confidence; the exercise's "
                           "threshold is 99%."), name="to_a_person")
        raise NotYet(_("{name} is not the number of test images on which the model's confidence "
                       "is 99% or less."), name="to_a_person")
    if get_through != int((confidence[mistaken] > 0.99).sum()):
        raise NotYet(_("{name} is not the number of mistakes that get through: those made with "
                       "more than 99% confidence, which no person sees."), name="get_through")
    return _("Compare with the 90% threshold: a higher threshold sends more images to a person "
             "and lets fewer mistakes through.")
