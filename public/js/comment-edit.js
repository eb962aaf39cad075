/*
 * Editing one's own comment in place: Edit opens the text under the comment's header, with the time
 * left, Preview, Save and Cancel. Saving replaces the text on the page; a refusal keeps the editor
 * open with the text and says why. Without JavaScript, Edit opens the edit page, which does the same.
 */
(function () {
  'use strict';

  var section = document.getElementById('comments');
  var token = document.querySelector('input[name="_csrf"]');
  if (!section || !token) return;
  var csrf = token.value;

  function send(url, method, data) {
    return fetch(url, {
      method: method,
      headers: Object.assign(
        { accept: 'application/json' },
        data ? { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf } : {},
      ),
      body: data ? new URLSearchParams(data) : undefined,
      credentials: 'same-origin',
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (body) {
          if (!response.ok) {
            var error = body.error || {};
            var fields = error.fields || error.details || {};
            throw new Error(fields.body || error.message || 'That did not work (' + response.status + ').');
          }
          return body;
        });
    });
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function button(label, quiet) {
    var b = element('button', quiet ? 'button button--quiet' : 'button', label);
    b.type = 'button';
    return b;
  }

  function open(comment, link, data) {
    var id = comment.getAttribute('data-comment-id');
    var body = comment.querySelector(':scope > .comment__card > .comment__body');
    var actions = comment.querySelector(':scope > .comment__card > .comment__actions');
    var form = element('form', 'comment__editor');
    var label = element('label', 'visually-hidden', 'Edit your comment');
    label.htmlFor = 'edit-' + id;
    var box = element('textarea');
    box.id = 'edit-' + id;
    box.rows = 6;
    box.value = data.body;
    var left = element(
      'p',
      'field__hint',
      'You can edit it for ' +
        data.minutesLeft +
        (data.minutesLeft === 1 ? ' more minute.' : ' more minutes.') +
        ' Markdown works.',
    );
    var error = element('p', 'field__error');
    error.setAttribute('role', 'alert');
    error.hidden = true;
    var preview = element('div', 'edit-preview');
    preview.hidden = true;
    var row = element('div', 'form-actions');
    var save = button('Save changes');
    var show = button('Preview', true);
    var cancel = button('Cancel', true);
    row.append(save, show, cancel);
    form.append(label, box, left, error, preview, row);
    body.hidden = true;
    if (actions) actions.hidden = true;
    body.after(form);
    box.focus();

    function close(focusLink) {
      form.remove();
      body.hidden = false;
      if (actions) actions.hidden = false;
      if (focusLink) link.focus();
    }
    function fail(err) {
      error.textContent = err.message;
      error.hidden = false;
      box.setAttribute('aria-invalid', 'true');
      box.focus();
    }
    cancel.addEventListener('click', function () {
      close(true);
    });
    form.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') close(true);
    });
    show.addEventListener('click', function () {
      send('/comments/preview', 'POST', { body: box.value })
        .then(function (result) {
          error.hidden = true;
          preview.innerHTML = '';
          var title = element('p', 'edit-preview__title', 'Preview: not saved yet');
          var shown = element('div', 'comment__body');
          shown.innerHTML = result.html; // our own sanitized rendering
          preview.append(title, shown);
          preview.hidden = false;
        })
        .catch(fail);
    });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      save.click();
    });
    save.addEventListener('click', function () {
      save.disabled = true;
      send(link.href, 'POST', { body: box.value })
        .then(function (result) {
          body.innerHTML = result.html; // our own sanitized rendering
          close(true);
        })
        .catch(fail)
        .finally(function () {
          save.disabled = false;
        });
    });
  }

  section.addEventListener('click', function (event) {
    var link = event.target.closest('.comment__edit');
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
    var comment = link.closest('li.comment');
    if (!comment || comment.querySelector(':scope > .comment__card > .comment__editor')) return;
    event.preventDefault();
    send(link.href, 'GET')
      .then(function (data) {
        if (!data.editable) {
          window.location.href = link.href; // the page says the window has closed
          return;
        }
        open(comment, link, data);
      })
      .catch(function () {
        window.location.href = link.href;
      });
  });
})();
