/*
 * Nothing a letter writer types is lost, as with comments (comment-box.js):
 * - the letter box counts as they type and says plainly when the text is over the limit (no silent
 *   cut: the box has no maxlength), and a letter over it is not sent;
 * - the form is kept as a draft in this browser for a day, restored after leaving the page, a
 *   reload or a closed tab, and forgotten once the letter is sent (the thank-you page). Its email
 *   address is not kept (a shared computer's next reader should not find it), and a draft older than
 *   a day is dropped: a letter about one's partner does not wait on the family computer.
 * Without this file the form still works; the server checks the limit and sends the text back.
 */
(function () {
  'use strict';

  var KEY = 'letter-draft';
  var KEEP_MS = 24 * 3600 * 1000;
  var store = (function () {
    try {
      localStorage.setItem('letter-draft:probe', '1');
      localStorage.removeItem('letter-draft:probe');
      return localStorage;
    } catch {
      return null;
    }
  })();

  var form = document.querySelector('[data-letter-form]');
  if (!form) {
    // The thank-you page: the letter is sent.
    if (store && document.getElementById('sent-title')) store.removeItem(KEY);
    return;
  }
  var letter = form.querySelector('textarea[name="letter"]');
  var counter = form.querySelector('[data-counter]');
  var limit = Number(letter.getAttribute('data-limit')) || 8000;
  var FIELDS = ['subject', 'letter', 'pseudonym'];
  var BOXES = ['consentPublish', 'wantsAnonymized'];

  function count() {
    var left = limit - letter.value.length;
    counter.textContent =
      left >= 0
        ? left.toLocaleString('en-US') + ' characters left'
        : 'Over the limit by ' + (-left).toLocaleString('en-US') + ' characters: shorten it to send.';
    counter.classList.toggle('field__error', left < 0);
    return left >= 0;
  }

  function save() {
    if (!store) return;
    var draft = { savedAt: Date.now() };
    FIELDS.forEach(function (name) {
      draft[name] = form.elements[name].value;
    });
    BOXES.forEach(function (name) {
      draft[name] = form.elements[name].checked;
    });
    try {
      store.setItem(KEY, JSON.stringify(draft));
    } catch {
      // Full: the form itself still holds the text.
    }
  }

  // A draft fills an empty form only: what the server sent back (after an error) is newer.
  function restore() {
    if (!store) return;
    var empty = FIELDS.every(function (name) {
      return !form.elements[name].value;
    });
    var draft;
    try {
      draft = JSON.parse(store.getItem(KEY) || 'null');
    } catch {
      draft = null;
    }
    if (draft && !(Date.now() - Number(draft.savedAt) < KEEP_MS)) {
      store.removeItem(KEY);
      return;
    }
    if (!empty || !draft) return;
    FIELDS.forEach(function (name) {
      if (typeof draft[name] === 'string') form.elements[name].value = draft[name];
    });
    BOXES.forEach(function (name) {
      form.elements[name].checked = Boolean(draft[name]);
    });
  }

  restore();
  count();
  form.addEventListener('input', function (event) {
    if (event.target === letter) count();
    save();
  });
  form.addEventListener('change', save);
  form.addEventListener('submit', function (event) {
    if (count()) return;
    event.preventDefault();
    letter.focus();
  });
})();
