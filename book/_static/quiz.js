// Self-check questions (book/_ext/quiz.py): say at once whether the chosen option is right.
// The answer and its explanation stay in their <details> until the reader opens it.
document.querySelectorAll(".quiz").forEach((quiz) => {
  const feedback = quiz.querySelector(".quiz-feedback");
  quiz.querySelector(".quiz-check").addEventListener("click", () => {
    const chosen = quiz.querySelector("input[type=radio]:checked");
    quiz.classList.remove("quiz-is-right", "quiz-is-wrong");
    if (!chosen) {
      feedback.textContent = feedback.dataset.none;
      return;
    }
    const right = chosen.value === quiz.dataset.answer;
    quiz.classList.add(right ? "quiz-is-right" : "quiz-is-wrong");
    feedback.textContent = right ? feedback.dataset.right : feedback.dataset.wrong;
  });
  // A new choice clears the verdict on the previous one.
  quiz.addEventListener("change", () => {
    quiz.classList.remove("quiz-is-right", "quiz-is-wrong");
    feedback.textContent = "";
  });
});
