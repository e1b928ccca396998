"""What answers a learner's attempt at an exercise, in the reader notebooks, offline.

This file and the page's own checks (`book/_checks/<page>.py`) travel inside the page's
reader notebook, in one hidden cell near its top that defines two names only: `____`, the
placeholder that a starter cell holds where the learner writes, and `check(N)`, which says
whether the attempt at exercise N (numbered as the site numbers it) is right:

- "Correct", with a sentence on why, where it helps;
- "Not yet", with what is wrong (a shape, a count off by the biases, a model never trained,
  a variable that is missing...);
- "Not attempted" while a placeholder is still there.

A check never prints the answer, reads the learner's variables without changing them, and
draws no random numbers (the learner's later runs stay those of the book). The build wraps
both files in a function, after `MESSAGES` (the notebook's language: {English: translation}),
`NUMBERS` ({exercise number: label}) and `NUMBER_STYLE` (how the edition writes numbers);
see book/_ext/reader_notebooks/checks.py. So they are fragments, not modules: the page's
checks use this file's names without importing them.
"""

import sys


class Placeholder:
    """`____`: where the learner writes. Recognised by its mark, not its identity, so that a
    check loaded twice (or in another language) still knows it."""

    book_placeholder = True

    def __repr__(self):
        return "____"


def is_placeholder(value, depth=0):
    """Whether a value is a placeholder, or a list, tuple or dict that still holds one."""
    if getattr(type(value), "book_placeholder", False):
        return True
    if depth < 2 and isinstance(value, (list, tuple)):
        return any(is_placeholder(item, depth + 1) for item in value)
    if depth < 2 and isinstance(value, dict):
        return any(is_placeholder(item, depth + 1) for item in value.values())
    return False


class Message(str):
    """A sentence in the notebook's language that remembers its English original (`msgid`)."""

    msgid = ""


def _(msgid):
    """A sentence of the checks, in the notebook's language (the build fills MESSAGES)."""
    message = Message(MESSAGES.get(msgid, msgid))
    message.msgid = msgid
    return message


def number(value, decimals=0):
    """A number as the edition writes it: "27,210" or "27 210" (from five digits), "0.5"."""
    text = f"{value:,.{decimals}f}"
    if abs(value) < 10 ** (NUMBER_STYLE["group_from"] - 1):
        text = text.replace(",", "")
    return text.replace(",", NUMBER_STYLE["thousands"])


def percent(fraction):
    """A fraction as a percentage with one decimal, as the edition writes it: "92.6%", "92.6 %"."""
    return f"{100 * fraction:.1f}{NUMBER_STYLE['percent']}"


class Verdict(Exception):
    """What a check says: its status, its sentence, and that sentence's English `msgid`."""

    status = ""

    def __init__(self, message="", **fields):
        super().__init__(message)
        self.msgid = getattr(message, "msgid", message)
        self.text = message.format(**{k: f"`{v}`" if k == "name" else v for k, v in fields.items()})

    def as_dict(self):
        return {"status": self.status, "msgid": self.msgid, "text": self.text}


class Correct(Verdict):
    status = "correct"


class NotYet(Verdict):
    status = "not yet"


class NotAttempted(Verdict):
    status = "not attempted"


class Learner:
    """The learner's variables, as the checks read them: a variable that is missing, or that
    still holds a placeholder, stops the check with its verdict."""

    def __init__(self, namespace):
        self.namespace = namespace

    def __getitem__(self, name):
        if name not in self.namespace:
            raise NotYet(_("There is no variable {name} yet: write it in the cell above and run "
                           "that cell, then this one."), name=name)
        value = self.namespace[name]
        if is_placeholder(value):
            raise NotAttempted(_("{name} still holds ____: replace each ____ in the cell above "
                                 "with your answer, run that cell, then this one."), name=name)
        return value

    def get(self, name, default=None):
        """A variable of the notebook that the learner need not have written (the page's)."""
        value = self.namespace.get(name, default)
        return default if is_placeholder(value) else value

    def values(self, *names):
        """Several variables at once; a placeholder in any of them is found before anything
        else is judged."""
        for name in names:
            if is_placeholder(self.namespace.get(name)):
                self[name]
        return [self[name] for name in names]


# Helpers that several checks share.

def whole_number(value, name):
    """A count must be a whole number: an int, or a float such as 7850.0."""
    try:
        if float(value) == int(float(value)):
            return int(float(value))
    except (TypeError, ValueError, OverflowError):
        pass
    raise NotYet(_("{name} must be a whole number, a count."), name=name)


def a_model(value, name):
    """A Keras model, not something else (a History, a number...)."""
    if not (hasattr(value, "layers") and hasattr(value, "predict")):
        raise NotYet(_("{name} must be a Keras model (what keras.Sequential returns)."), name=name)
    return value


def trained(model, name):
    """A model that `fit` has trained: its optimizer has taken steps."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        raise NotYet(_("{name} was never compiled, so it was never trained: call compile, then fit."), name=name)
    if int(optimizer.iterations) == 0:
        raise NotYet(_("{name} has not been trained: its accuracy would be that of random weights. "
                       "Call fit on it."), name=name)
    return model


def accuracy_of(model, images, labels):
    """The accuracy of a model on some images, as `evaluate` measures it (nothing changes)."""
    import numpy as np

    predictions = model.predict(images, verbose=0, batch_size=1000)
    return float(np.mean(np.argmax(predictions, axis=1) == labels))


def same_accuracy(value, measured, name):
    """A stored accuracy must be the one the model gets (as a fraction, as evaluate gives it)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise NotYet(_("{name} must be a number: the accuracy, the second of the two numbers "
                       "that evaluate returns."), name=name) from None
    if abs(value - 100 * measured) < 0.06:
        raise NotYet(_("{name} is a percentage: keep the accuracy as evaluate returns it, a "
                       "fraction between 0 and 1."), name=name)
    if abs(value - measured) > 0.002:
        raise NotYet(_("{name} is {value}, but the model reads {measured} of those images "
                       "correctly now: store what evaluate returns for this model and these "
                       "images (not a number of the training log)."),
                     name=name, value=percent(value), measured=percent(measured))
    return value


def same_layers(model, expected, name):
    """A model built as the exercise describes: the same kinds of layers, in the same order,
    with the same sizes and activations (names and initial weights may differ)."""
    def describe(layer):
        config = layer.get_config()
        keys = ("units", "activation", "filters", "kernel_size", "strides", "pool_size", "padding",
                "rate", "scale", "target_shape")
        return (type(layer).__name__, tuple((key, str(config[key])) for key in keys if key in config))

    ours = [describe(layer) for layer in model.layers]
    wanted = [describe(layer) for layer in expected.layers]
    if ours == wanted:
        return model
    kinds, wanted_kinds = [kind for kind, settings in ours], [kind for kind, settings in wanted]
    if kinds != wanted_kinds:
        raise NotYet(_("The layers of {name} are {layers}; the exercise asks for {wanted}."),
                     name=name, layers=", ".join(kinds), wanted=", ".join(wanted_kinds))
    for (kind, settings), (_kind, wanted_settings) in zip(ours, wanted):
        if settings != wanted_settings:
            difference = ", ".join(f"{key}={value}" for key, value in wanted_settings
                                   if (key, value) not in settings)
            raise NotYet(_("In {name}, the {kind} layer needs {difference}."),
                         name=name, kind=kind, difference=difference)
    return model


# The checks, by label, and `check(N)`.

CHECKS = {}


def judgement(label):
    """Declare that exercise `label` asks for judgement (a sentence, a design explained in
    words), which no check can mark: it keeps its hint and its solution, and its attempt
    cell says so. Every exercise of a page is either checked or declared so."""


def exercise(label, starter="", wrong=()):
    """Register the check of exercise `label`. `starter` is the cell the learner fills (the
    build writes it after the statement), `wrong` typical wrong attempts, each with words of
    the message that must answer it (the tests run them)."""
    def register(function):
        CHECKS[label] = function
        return function
    return register


def verdict(exercise, namespace=None):
    """The Verdict of the attempt at an exercise (its number, or its label)."""
    label = NUMBERS.get(exercise, exercise)
    if label not in CHECKS:
        return NotYet(_("This notebook has no check for exercise {number}."), number=exercise)
    learner = Learner(vars(sys.modules["__main__"]) if namespace is None else namespace)
    try:
        why = CHECKS[label](learner)
    except Verdict as found:
        return found
    except Exception as error:  # an answer of a kind that the check did not foresee
        return NotYet(_("The check could not read your answer ({error}): does each variable hold "
                        "what the comment of the cell above asks for?"), error=f"{type(error).__name__}: {error}")
    return Correct(why or "")


WORDS = {"correct": "✅ " + _("Correct."), "not yet": "❌ " + _("Not yet:"),
         "not attempted": "✏️ " + _("Not attempted:")}


def check(exercise):
    """Say whether your attempt at an exercise is right: check(19) for exercise 19."""
    found = verdict(exercise)
    print(f"{WORDS[found.status]} {found.text}".strip())


check.verdict = verdict
