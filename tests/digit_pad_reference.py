"""The drawing pad's preprocessing (book/_static/digit-pad.js, `toMnist`), in NumPy.

A drawing becomes what MNIST's digits are (LeCun et al.): white ink on black; the bounding
box of the ink scaled to fit 20 × 20 pixels with its aspect ratio kept, each new pixel the
average of the source area it covers; the result placed in 28 × 28 with its centre of mass
at the centre (pixel 14, 14: where MNIST's test digits have it, on average).

    from digit_pad_reference import to_mnist
    to_mnist(rgba)   # (height, width, 4) uint8 -> (28, 28) uint8, or None if nothing is drawn

The browser test compares the pad's 28 × 28 image with this function applied to the pad's
canvas, within one grey level.
"""

import numpy as np

SIZE, BOX, CENTRE = 28, 20, 14


def ink(rgba):
    """Each pixel's luminance over a black background (transparent = no ink), 0-255."""
    rgba = rgba.astype(np.int64)
    r, g, b, a = rgba[..., 0], rgba[..., 1], rgba[..., 2], rgba[..., 3]
    return ((r * 299 + g * 587 + b * 114) * a) / 255000


def round_half_up(x):
    return np.floor(x + 0.5)


def area_weights(size, target):
    """(target, size) matrix: row j averages the source pixels under target pixel j."""
    step = size / target
    weights = np.zeros((target, size))
    for j in range(target):
        a, b = j * step, (j + 1) * step
        for s in range(int(np.floor(a)), min(int(np.ceil(b)), size)):
            weights[j, s] = (min(s + 1, b) - max(s, a)) / step
    return weights


def to_mnist(rgba):
    source = ink(np.asarray(rgba))
    rows = np.flatnonzero((source > 0).any(axis=1))
    cols = np.flatnonzero((source > 0).any(axis=0))
    if rows.size == 0:
        return None
    crop = source[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    h, w = crop.shape
    scale = BOX / max(w, h)
    tw = max(1, int(round_half_up(w * scale)))
    th = max(1, int(round_half_up(h * scale)))
    box = area_weights(h, th) @ (crop @ area_weights(w, tw).T)  # across, then down
    box = np.clip(round_half_up(box), 0, 255)
    mass = box.sum()
    if mass == 0:
        return None
    cy = (box.sum(axis=1) * np.arange(th)).sum() / mass
    cx = (box.sum(axis=0) * np.arange(tw)).sum() / mass
    top = int(np.clip(round_half_up(CENTRE - cy), 0, SIZE - th))
    left = int(np.clip(round_half_up(CENTRE - cx), 0, SIZE - tw))
    out = np.zeros((SIZE, SIZE), np.uint8)
    out[top:top + th, left:left + tw] = box
    return out
