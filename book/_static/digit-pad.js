// The drawing pad (book/_ext/digit_pad.py): the reader draws a digit, the page's own model
// answers. No framework, no network: the model and the test digits come from the page's
// data file (_static/digit-pad/<page>.js, written by the build from this build's run),
// which this script loads, and turns into a pad, only when the reader scrolls near it: a
// visit that never reaches the pad neither downloads its model nor spends time on it.
//
// - The drawing is read like MNIST's digits were made: white ink on black, cropped to its
//   bounding box, scaled to fit 20 x 20 with its aspect ratio kept (area averaging), and
//   placed in 28 x 28 with its centre of mass at the centre. tests/digit_pad_reference.py
//   does the same in NumPy.
// - The forward pass computes the layers Keras's way (Dense kernels (in, out), Conv2D
//   kernels HWIO, channels-last tensors), in double precision.
(() => {
  "use strict";

  const SCRIPT = document.currentScript;
  const SIZE = 28; // MNIST's images
  const BOX = 20; // the digit's bounding box is scaled to fit BOX x BOX
  const CENTRE = 14; // where MNIST puts the centre of mass (pixel indices)
  const INK = 1 / 14; // the pen's width, as a fraction of the pad's side
  const KEY_STEP = 1 / 28; // how far an arrow key moves the pen (Shift: four times as far)

  // ---- Numbers from the data file --------------------------------------------------------

  function bytes(base64) {
    const text = atob(base64);
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  }

  function half(bits) {
    // IEEE 754 half precision to a JavaScript number.
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >> 10) & 0x1f;
    const fraction = bits & 0x3ff;
    if (exponent === 0) return sign * fraction * 2 ** -24;
    if (exponent === 31) return fraction ? NaN : sign * Infinity;
    return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  }

  function tensor(entry) {
    const raw = bytes(entry.base64);
    const view = new DataView(raw.buffer);
    const count = entry.shape.reduce((a, b) => a * b, 1);
    const out = new Float64Array(count);
    if (entry.dtype === "float32") {
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
    } else if (entry.dtype === "float16") {
      for (let i = 0; i < count; i++) out[i] = half(view.getUint16(2 * i, true));
    } else {
      throw new Error(`digit pad: weights of type ${entry.dtype}`);
    }
    return { shape: entry.shape, data: out };
  }

  // ---- Forward pass --------------------------------------------------------------------
  // A tensor is {shape: [h, w, c] or [n], data: Float64Array}, channels last.

  function activate(x, activation) {
    const d = x.data;
    if (activation === "relu") {
      for (let i = 0; i < d.length; i++) if (d[i] < 0) d[i] = 0;
    } else if (activation === "softmax") {
      let max = -Infinity;
      for (let i = 0; i < d.length; i++) max = Math.max(max, d[i]);
      let sum = 0;
      for (let i = 0; i < d.length; i++) sum += (d[i] = Math.exp(d[i] - max));
      for (let i = 0; i < d.length; i++) d[i] /= sum;
    } else if (activation !== "linear" && activation !== undefined) {
      throw new Error(`digit pad: activation ${activation}`);
    }
    return x;
  }

  function pair(value) {
    return Array.isArray(value) ? value : [value, value];
  }

  // Output size and padding before, Keras/TensorFlow style ("same" pads more after).
  function window1d(size, kernel, stride, padding) {
    if (padding === "same") {
      const out = Math.ceil(size / stride);
      const total = Math.max((out - 1) * stride + kernel - size, 0);
      return [out, Math.floor(total / 2)];
    }
    return [Math.floor((size - kernel) / stride) + 1, 0];
  }

  const LAYERS = {
    InputLayer: () => (x) => x,
    Dropout: () => (x) => x, // only active while training
    Rescaling: (config) => (x) => {
      const out = new Float64Array(x.data.length);
      for (let i = 0; i < out.length; i++) out[i] = x.data[i] * config.scale + (config.offset || 0);
      return { shape: x.shape, data: out };
    },
    Flatten: () => (x) => ({ shape: [x.data.length], data: x.data }),
    ReLU: () => (x) => activate({ shape: x.shape, data: Float64Array.from(x.data) }, "relu"),
    Softmax: () => (x) => activate({ shape: x.shape, data: Float64Array.from(x.data) }, "softmax"),
    Activation: (config) => (x) =>
      activate({ shape: x.shape, data: Float64Array.from(x.data) }, config.activation),
    Dense: (config, [kernel, bias]) => (x) => {
      const [inputs, units] = kernel.shape;
      if (x.data.length !== inputs) throw new Error("digit pad: Dense input size");
      const w = kernel.data;
      const out = bias ? Float64Array.from(bias.data) : new Float64Array(units);
      for (let i = 0; i < inputs; i++) {
        const xi = x.data[i];
        if (xi === 0) continue;
        const row = i * units;
        for (let j = 0; j < units; j++) out[j] += xi * w[row + j];
      }
      return activate({ shape: [units], data: out }, config.activation);
    },
    Conv2D: (config, [kernel, bias]) => (x) => {
      const [h, w, c] = x.shape;
      const [kh, kw, kc, f] = kernel.shape; // HWIO
      if (kc !== c) throw new Error("digit pad: Conv2D channels");
      const [sh, sw] = pair(config.strides || 1);
      const [oh, padTop] = window1d(h, kh, sh, config.padding);
      const [ow, padLeft] = window1d(w, kw, sw, config.padding);
      const k = kernel.data;
      const out = new Float64Array(oh * ow * f);
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          const base = (oy * ow + ox) * f;
          if (bias) for (let o = 0; o < f; o++) out[base + o] = bias.data[o];
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * sh + ky - padTop;
            if (iy < 0 || iy >= h) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * sw + kx - padLeft;
              if (ix < 0 || ix >= w) continue;
              for (let ci = 0; ci < c; ci++) {
                const v = x.data[(iy * w + ix) * c + ci];
                if (v === 0) continue;
                const kbase = ((ky * kw + kx) * c + ci) * f;
                for (let o = 0; o < f; o++) out[base + o] += v * k[kbase + o];
              }
            }
          }
        }
      }
      return activate({ shape: [oh, ow, f], data: out }, config.activation);
    },
    MaxPooling2D: (config) => (x) => {
      const [h, w, c] = x.shape;
      const [ph, pw] = pair(config.pool_size);
      const [sh, sw] = pair(config.strides || config.pool_size);
      const [oh, padTop] = window1d(h, ph, sh, config.padding);
      const [ow, padLeft] = window1d(w, pw, sw, config.padding);
      const out = new Float64Array(oh * ow * c).fill(-Infinity);
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          const base = (oy * ow + ox) * c;
          for (let py = 0; py < ph; py++) {
            const iy = oy * sh + py - padTop;
            if (iy < 0 || iy >= h) continue;
            for (let px = 0; px < pw; px++) {
              const ix = ox * sw + px - padLeft;
              if (ix < 0 || ix >= w) continue;
              const from = (iy * w + ix) * c;
              for (let ci = 0; ci < c; ci++) out[base + ci] = Math.max(out[base + ci], x.data[from + ci]);
            }
          }
        }
      }
      return { shape: [oh, ow, c], data: out };
    },
  };

  class Model {
    constructor(spec) {
      this.inputMax = spec.input_max; // 255 when the model rescales its input itself
      this.layers = spec.layers.map((layer) => {
        const make = LAYERS[layer.class_name];
        if (!make) throw new Error(`digit pad: layer ${layer.class_name}`);
        return make(layer.config, layer.weights.map(tensor));
      });
    }

    // `pixels`: 28 x 28 grey levels 0-255 (MNIST's way), row by row. Returns the ten
    // probabilities.
    predict(pixels) {
      const scale = this.inputMax / 255;
      let x = { shape: [SIZE, SIZE, 1], data: Float64Array.from(pixels, (p) => p * scale) };
      for (const layer of this.layers) x = layer(x);
      return Array.from(x.data);
    }
  }

  // ---- The drawing, made like MNIST's digits ---------------------------------------------

  // Ink of each pixel of an RGBA image: its luminance over a black background (a
  // transparent pixel is no ink), in 0-255.
  function ink(image) {
    const { width, height, data } = image;
    const out = new Float64Array(width * height);
    for (let i = 0, p = 0; i < out.length; i++, p += 4) {
      out[i] = ((data[p] * 299 + data[p + 1] * 587 + data[p + 2] * 114) * data[p + 3]) / 255000;
    }
    return out;
  }

  // Weights of the area average that turns `size` source pixels into `target` ones:
  // for each target pixel, [first source pixel, weights...].
  function areaWeights(size, target) {
    const step = size / target;
    const rows = [];
    for (let j = 0; j < target; j++) {
      const a = j * step;
      const b = (j + 1) * step;
      const first = Math.floor(a);
      const last = Math.min(Math.ceil(b), size);
      const weights = [];
      for (let s = first; s < last; s++) weights.push((Math.min(s + 1, b) - Math.max(s, a)) / step);
      rows.push([first, weights]);
    }
    return rows;
  }

  // An RGBA image (ImageData) -> 28 x 28 grey levels 0-255, or null if nothing is drawn.
  function toMnist(image) {
    const { width, height } = image;
    const source = ink(image);
    let x0 = width, y0 = height, x1 = -1, y1 = -1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (source[y * width + x] > 0) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
      }
    }
    if (x1 < 0) return null;
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    const scale = BOX / Math.max(w, h);
    const tw = Math.max(1, Math.floor(w * scale + 0.5));
    const th = Math.max(1, Math.floor(h * scale + 0.5));
    // Across, then down.
    const across = new Float64Array(h * tw);
    const columns = areaWeights(w, tw);
    for (let y = 0; y < h; y++) {
      const row = (y0 + y) * width + x0;
      for (let j = 0; j < tw; j++) {
        const [first, weights] = columns[j];
        let sum = 0;
        for (let k = 0; k < weights.length; k++) sum += source[row + first + k] * weights[k];
        across[y * tw + j] = sum;
      }
    }
    const box = new Float64Array(th * tw);
    const rows = areaWeights(h, th);
    for (let i = 0; i < th; i++) {
      const [first, weights] = rows[i];
      for (let j = 0; j < tw; j++) {
        let sum = 0;
        for (let k = 0; k < weights.length; k++) sum += across[(first + k) * tw + j] * weights[k];
        box[i * tw + j] = Math.min(255, Math.max(0, Math.floor(sum + 0.5)));
      }
    }
    let mass = 0, my = 0, mx = 0;
    for (let i = 0; i < th; i++) {
      for (let j = 0; j < tw; j++) {
        const v = box[i * tw + j];
        mass += v;
        my += i * v;
        mx += j * v;
      }
    }
    if (mass === 0) return null;
    const clamp = (v, most) => Math.min(Math.max(v, 0), most);
    const top = clamp(Math.floor(CENTRE - my / mass + 0.5), SIZE - th);
    const left = clamp(Math.floor(CENTRE - mx / mass + 0.5), SIZE - tw);
    const out = new Uint8ClampedArray(SIZE * SIZE);
    for (let i = 0; i < th; i++) {
      for (let j = 0; j < tw; j++) out[(top + i) * SIZE + left + j] = box[i * tw + j];
    }
    return out;
  }

  // ---- The pad ---------------------------------------------------------------------------

  function greyImage(pixels) {
    const image = new ImageData(SIZE, SIZE);
    for (let i = 0; i < pixels.length; i++) {
      image.data.set([pixels[i], pixels[i], pixels[i], 255], 4 * i);
    }
    return image;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (match, name) => (name in values ? values[name] : match));
  }

  class Pad {
    constructor(root, data) {
      this.root = root;
      this.model = new Model(data.model);
      this.samples = data.samples.map((s) => ({ label: s.label, pixels: bytes(s.pixels) }));
      this.strings = JSON.parse(root.dataset.strings);
      this.percent = new Intl.NumberFormat(document.documentElement.lang || undefined, {
        style: "percent",
        maximumFractionDigits: 0,
      });
      this.canvas = root.querySelector(".digit-pad-canvas");
      this.context = this.canvas.getContext("2d", { willReadFrequently: true });
      this.preview = root.querySelector(".digit-pad-preview").getContext("2d");
      this.answer = root.querySelector(".digit-pad-answer");
      this.big = root.querySelector(".digit-pad-big");
      this.bars = [...root.querySelectorAll(".digit-pad-bar")];
      this.pen = root.querySelector(".digit-pad-pen");
      this.strokes = []; // each a list of [x, y], as fractions of the pad's side
      this.sample = null; // the test digit on show, if any
      this.pointer = null; // the pointer drawing now
      this.keyPen = { x: 0.5, y: 0.5, down: false };
      this.listen();
      this.addSamples();
      root.querySelector(".digit-pad-ui").hidden = false;
      new ResizeObserver(() => this.resize()).observe(this.canvas);
      this.resize();
      this.showIdle();
    }

    listen() {
      const canvas = this.canvas;
      canvas.addEventListener("pointerdown", (event) => {
        if (event.pointerType === "mouse" && event.button !== 0) return;
        event.preventDefault();
        canvas.setPointerCapture(event.pointerId);
        this.pointer = event.pointerId;
        this.startStroke(this.point(event));
      });
      canvas.addEventListener("pointermove", (event) => {
        if (event.pointerId !== this.pointer) return;
        event.preventDefault();
        const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
        for (const e of events.length ? events : [event]) this.extendStroke(this.point(e));
      });
      const end = (event) => {
        if (event.pointerId !== this.pointer) return;
        this.pointer = null;
        this.endStroke();
      };
      canvas.addEventListener("pointerup", end);
      canvas.addEventListener("pointercancel", end);
      canvas.addEventListener("keydown", (event) => this.key(event));
      canvas.addEventListener("focus", () => this.showPen());
      canvas.addEventListener("blur", () => {
        if (this.keyPen.down) this.toggleKeyPen();
        this.pen.classList.remove("is-visible");
      });
      this.root.querySelector(".digit-pad-clear").addEventListener("click", () => this.clear());
    }

    point(event) {
      const rect = this.canvas.getBoundingClientRect();
      return [(event.clientX - rect.left) / rect.width, (event.clientY - rect.top) / rect.height];
    }

    // Draw on a new sheet after a test digit; otherwise add to the drawing.
    startStroke(point) {
      if (this.sample !== null) {
        this.sample = null;
        this.strokes = [];
      }
      this.strokes.push([point]);
      this.render();
    }

    extendStroke(point) {
      this.strokes[this.strokes.length - 1].push(point);
      if (!this.frame) {
        this.frame = requestAnimationFrame(() => {
          this.frame = null;
          this.render();
        });
      }
    }

    endStroke() {
      if (this.frame) cancelAnimationFrame(this.frame);
      this.frame = null;
      this.render();
      this.predict();
    }

    key(event) {
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      if (event.key in moves) {
        event.preventDefault();
        const step = KEY_STEP * (event.shiftKey ? 4 : 1);
        const [dx, dy] = moves[event.key];
        const pen = this.keyPen;
        pen.x = Math.min(1, Math.max(0, pen.x + dx * step));
        pen.y = Math.min(1, Math.max(0, pen.y + dy * step));
        if (pen.down) this.extendStroke([pen.x, pen.y]);
        this.showPen();
      } else if (event.key === " " || event.key === "Enter") {
        event.preventDefault();
        this.toggleKeyPen();
      }
    }

    toggleKeyPen() {
      const pen = this.keyPen;
      pen.down = !pen.down;
      if (pen.down) this.startStroke([pen.x, pen.y]);
      else this.endStroke();
      this.showPen();
    }

    showPen() {
      const pen = this.keyPen;
      this.pen.style.left = `${pen.x * 100}%`;
      this.pen.style.top = `${pen.y * 100}%`;
      this.pen.classList.toggle("is-down", pen.down);
      // Only for the keyboard: a pen that the mouse or a finger holds needs no marker.
      this.pen.classList.toggle("is-visible", this.canvas.matches(":focus-visible"));
    }

    resize() {
      const ratio = window.devicePixelRatio || 1;
      const side = Math.max(1, Math.round(this.canvas.clientWidth * ratio));
      if (this.canvas.width !== side || this.canvas.height !== side) {
        this.canvas.width = side;
        this.canvas.height = side;
        this.render();
      }
    }

    // White ink on a transparent sheet (the page shows black through it).
    render() {
      const ctx = this.context;
      const side = this.canvas.width;
      ctx.clearRect(0, 0, side, side);
      if (this.sample !== null) {
        const scratch = document.createElement("canvas");
        scratch.width = scratch.height = SIZE;
        scratch.getContext("2d").putImageData(greyImage(this.samples[this.sample].pixels), 0, 0);
        ctx.imageSmoothingEnabled = false;
        ctx.drawImage(scratch, 0, 0, side, side);
        return;
      }
      ctx.strokeStyle = ctx.fillStyle = "#fff";
      ctx.lineWidth = side * INK;
      ctx.lineCap = ctx.lineJoin = "round";
      for (const stroke of this.strokes) {
        const [[x, y], ...rest] = stroke;
        ctx.beginPath();
        if (!rest.length) {
          ctx.arc(x * side, y * side, (side * INK) / 2, 0, 2 * Math.PI);
          ctx.fill();
          continue;
        }
        ctx.moveTo(x * side, y * side);
        for (const [px, py] of rest) ctx.lineTo(px * side, py * side);
        ctx.stroke();
      }
    }

    clear() {
      this.strokes = [];
      this.sample = null;
      this.render();
      this.showIdle();
    }

    addSamples() {
      const holder = this.root.querySelector(".digit-pad-sample-buttons");
      this.samples.forEach((sample, index) => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "digit-pad-sample";
        const values = { number: index + 1, label: sample.label };
        button.setAttribute(
          "aria-label",
          fill(sample.label === null ? this.strings.sampleNoLabel : this.strings.sample, values),
        );
        const thumb = document.createElement("canvas");
        thumb.width = thumb.height = SIZE;
        thumb.setAttribute("aria-hidden", "true");
        thumb.getContext("2d").putImageData(greyImage(sample.pixels), 0, 0);
        button.append(thumb);
        button.addEventListener("click", () => {
          this.strokes = [];
          this.sample = index;
          this.render();
          this.predict();
        });
        holder.append(button);
      });
    }

    predict() {
      let pixels;
      if (this.sample !== null) {
        pixels = this.samples[this.sample].pixels;
      } else {
        const side = this.canvas.width;
        pixels = toMnist(this.context.getImageData(0, 0, side, side));
      }
      if (!pixels) {
        this.showIdle();
        return;
      }
      this.show(pixels, this.model.predict(pixels));
    }

    showIdle() {
      this.preview.fillStyle = "#000";
      this.preview.fillRect(0, 0, SIZE, SIZE);
      for (const bar of this.bars) {
        bar.classList.remove("is-answer");
        bar.querySelector(".digit-pad-bar-fill").style.width = "0";
        bar.querySelector(".digit-pad-bar-value").textContent = "–";
      }
      this.big.textContent = "?";
      this.answer.textContent = this.strings.idle;
    }

    show(pixels, probabilities) {
      this.preview.putImageData(greyImage(pixels), 0, 0);
      const best = probabilities.indexOf(Math.max(...probabilities));
      this.bars.forEach((bar, digit) => {
        const p = probabilities[digit];
        bar.classList.toggle("is-answer", digit === best);
        bar.querySelector(".digit-pad-bar-fill").style.width = `${(p * 100).toFixed(1)}%`;
        bar.querySelector(".digit-pad-bar-value").textContent = this.percent.format(p);
      });
      let text = fill(this.strings.answer, { digit: best, probability: this.percent.format(probabilities[best]) });
      const label = this.sample !== null ? this.samples[this.sample].label : null;
      if (label !== null) text += " " + fill(this.strings.label, { label });
      this.big.textContent = String(best);
      this.answer.textContent = text;
    }
  }

  // The pads, each with its model, for the browser tests and tools/measure_digit_pad.py.
  const pads = {};
  window.bookDigitPad = { pads };
  const roots = [...document.querySelectorAll(".digit-pad[data-pad][data-page]")];

  function start() {
    for (const root of roots) {
      const data = (window.bookDigitPadData || {})[root.dataset.pad];
      if (data && !pads[root.dataset.pad]) pads[root.dataset.pad] = new Pad(root, data);
    }
  }

  function load() {
    // The page's data file sits beside this script, in digit-pad/<page>.js.
    const script = document.createElement("script");
    script.src = new URL(`digit-pad/${roots[0].dataset.page}.js`, SCRIPT.src).href;
    script.addEventListener("load", start);
    document.head.appendChild(script);
  }

  if (roots.length && "IntersectionObserver" in window) {
    const watch = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        watch.disconnect();
        load();
      }
    }, { rootMargin: "100% 0px" });
    roots.forEach((root) => watch.observe(root));
  } else if (roots.length) {
    load();
  }
})();
