"""Let `glue` hand a Keras model and small NumPy arrays to the book's drawing pad.

Build-only machinery, run at start-up by the build's kernels only (see
tools/kernel_environment.py), never by the pages. It registers two IPython display
formatters under mimetypes of our own, so that a page's remove-cell cell stays plain Keras:

    glue("pad_model", model, display=False)
    glue("pad_samples", test_images[:8], display=False)

- `application/vnd.book.keras-model+json`: for a Keras model, the list of its layers with
  what the pad's JavaScript needs (class, a subset of the config, weights as little-endian
  float32 in base64, with their shapes), its input shape, and `model.to_json()` so that a
  test can rebuild the same model.
- `application/vnd.book.ndarray+json`: for a NumPy array of at most MAX_ARRAY_SIZE values,
  its dtype, shape and bytes in base64. Larger arrays get no such output, so that nothing
  else a page displays changes.

book/_ext/digit_pad.py reads them back from the glue data. The formatters are registered by
type name, so neither Keras nor NumPy is imported here.
"""

import base64

from IPython import get_ipython
from IPython.core.formatters import BaseFormatter
from traitlets import ObjectName, Unicode

MODEL_MIME = "application/vnd.book.keras-model+json"
ARRAY_MIME = "application/vnd.book.ndarray+json"
MAX_ARRAY_SIZE = 16_384

# The config keys the pad's forward pass reads, when a layer has them.
CONFIG_KEYS = (
    "name", "activation", "units", "use_bias", "filters", "kernel_size", "strides",
    "padding", "dilation_rate", "groups", "pool_size", "data_format", "scale", "offset",
    "rate", "axis", "max_value", "negative_slope", "threshold",
)


class JSONBundleFormatter(BaseFormatter):
    """A formatter whose data is a JSON object, under a mimetype of our own."""

    format_type = Unicode()
    print_method = ObjectName("_repr_book_bundle_")  # no object has it: types registered below
    _return_type = dict


def encode(array, dtype=None):
    import numpy as np

    array = np.ascontiguousarray(array, dtype=dtype)
    little = array.astype(array.dtype.newbyteorder("<"), copy=False)
    return {
        "dtype": str(array.dtype),
        "shape": list(array.shape),
        "base64": base64.b64encode(little.tobytes()).decode("ascii"),
    }


def json_value(value):
    """A config value as JSON: numbers, strings, booleans, lists of them; None otherwise."""
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, (bool, int, float, str)) for v in value):
        return list(value)
    return None


def keras_model_bundle(model):
    layers = []
    for layer in model.layers:
        config = layer.get_config()
        weights = []
        for variable in layer.weights:
            entry = encode(variable.numpy(), "float32")
            entry["name"] = variable.path.rsplit("/", 1)[-1]
            weights.append(entry)
        layers.append({
            "class_name": type(layer).__name__,
            "config": {key: json_value(config[key]) for key in CONFIG_KEYS if key in config},
            "weights": weights,
        })
    return {
        "format": 1,
        "input_shape": [None if d is None else int(d) for d in model.input_shape],
        "output_shape": [None if d is None else int(d) for d in model.output_shape],
        "layers": layers,
        "keras_json": model.to_json(),
    }


def ndarray_bundle(array):
    if array.size > MAX_ARRAY_SIZE or array.dtype.kind not in "biuf":
        return None
    return encode(array)


def register(shell):
    formatters = shell.display_formatter.formatters
    model = formatters.setdefault(MODEL_MIME, JSONBundleFormatter(format_type=MODEL_MIME))
    model.for_type_by_name("keras.src.models.model", "Model", keras_model_bundle)
    array = formatters.setdefault(ARRAY_MIME, JSONBundleFormatter(format_type=ARRAY_MIME))
    array.for_type_by_name("numpy", "ndarray", ndarray_bundle)


if get_ipython() is not None:
    register(get_ipython())
