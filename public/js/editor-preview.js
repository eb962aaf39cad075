/*
 * The post editor's live preview: a moment after the letter or the answer changes, the server
 * renders them as the post page will (the same Markdown and sanitiser) and the preview beside the
 * form shows it. Nothing is saved; without this file the preview shows the post as last saved.
 */
(function () {
  'use strict';

  var form = document.querySelector('form[data-preview-form]');
  var answer = document.querySelector('[data-preview-answer]');
  if (!form || !answer) return;
  var letterBox = document.querySelector('[data-preview-letter]');
  var letterBody = document.querySelector('[data-preview-letter-body]');
  var state = document.querySelector('[data-preview-state]');
  var csrf = form.querySelector('input[name="_csrf"]').value;
  var timer = null;
  var sent = 0;

  function render() {
    var ticket = ++sent;
    fetch('/editor/preview', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'x-csrf-token': csrf,
      },
      body: new URLSearchParams({
        _csrf: csrf,
        letter: form.elements.letter.value,
        answer: form.elements.answer.value,
        format: form.getAttribute('data-format') || 'markdown',
      }),
      credentials: 'same-origin',
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (html) {
        if (ticket !== sent) return; // a newer preview is on its way
        letterBody.innerHTML = html.letterHtml;
        letterBox.hidden = !html.letterHtml;
        answer.innerHTML = html.answerHtml;
        state.textContent = 'Live: as readers will see it once published.';
      })
      .catch(function () {
        state.textContent = 'The preview could not be updated; your text is still here. Save to see it.';
      });
  }

  form.addEventListener('input', function (event) {
    var name = event.target && event.target.name;
    if (name !== 'letter' && name !== 'answer') return;
    clearTimeout(timer);
    timer = setTimeout(render, 350);
  });
  state.textContent = 'Live: as readers will see it once published.';
})();
