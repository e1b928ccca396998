// Answer boxes of the exercises (book/_ext/answer_box.py): say at once whether the answer
// is right. A number may be written "30730", "30,730", "30 730" or "782/782"; a percentage
// "91.7", "91,7 %" or "0.917", right when it rounds the exact value to the precision given
// (never looser than half a point).

// The number a reader wrote, and how precise it is: {value, step}, or null.
function readNumber(text, kind) {
  let t = text.trim().replace(/[\s\u00a0\u202f']/g, "");
  const parts = t.split("/");
  if (kind === "number" && parts.length === 2 && parts[0] === parts[1]) t = parts[0];  // 782/782
  const percent = t.endsWith("%");
  if (percent) t = t.slice(0, -1);
  if (kind === "number") {
    t = t.replace(/[.,](?=\d{3}(\D|$))/g, "");  // thousands separators
  } else if (!t.includes(".")) {
    t = t.replace(",", ".");  // a decimal comma
  }
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  const decimals = (t.split(".")[1] || "").length;
  let value = Number(t), step = 10 ** -decimals;
  if (kind === "percent" && !percent && Math.abs(value) <= 1 && t.includes(".")) {
    value *= 100;  // a fraction: 0.917 is 91.7%
    step *= 100;
  }
  return { value, step };
}

function isRight(box, answer) {
  const kind = box.dataset.kind;
  if (kind === "choice") return answer === box.dataset.expected;
  const expected = Number(box.dataset.expected) * (kind === "percent" ? 100 : 1);
  const number = readNumber(answer, kind);
  if (number === null) return false;
  if (kind === "number") return number.value === expected;
  return Math.abs(number.value - expected) <= Math.min(number.step / 2, 0.5) + 1e-9;
}

document.querySelectorAll(".answer-box").forEach((box) => {
  const feedback = box.querySelector(".answer-box-feedback");
  const input = box.querySelector(".answer-box-input");
  const clear = () => {
    box.classList.remove("quiz-is-right", "quiz-is-wrong");
    feedback.textContent = "";
  };
  const check = () => {
    const answer = input ? input.value.trim() : box.querySelector("input[type=radio]:checked")?.value;
    clear();
    if (!answer) {
      feedback.textContent = feedback.dataset.none;
      return;
    }
    const right = isRight(box, answer);
    box.classList.add(right ? "quiz-is-right" : "quiz-is-wrong");
    feedback.textContent = right ? feedback.dataset.right : feedback.dataset.wrong;
  };
  box.querySelector(".answer-box-check").addEventListener("click", check);
  if (input) {
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        check();
      }
    });
    input.addEventListener("input", clear);
  } else {
    box.addEventListener("change", clear);
  }
});
