/*
 * Nothing a commenter types is lost. The comment box:
 * - counts as they type, and says plainly when the text is over the limit (no silent cut: the box
 *   has no maxlength, and a form over the limit is not sent);
 * - keeps a draft in this browser per post and per comment replied to, restored after a reload, a
 *   closed tab, an error page or a visit elsewhere, and dropped once the comment is posted;
 * - when comments are closed live (live.js dispatches "comments:closed"), stays on the page with
 *   the text, read-only and copyable, instead of vanishing.
 */
(function () {
  'use strict';

  var section = document.getElementById('comments');
  var form = document.querySelector('[data-comment-form]');
  if (!section || !form) return;
  var body = form.querySelector('textarea[name="body"]');
  var parentInput = form.querySelector('input[name="parent"]');
  var counter = form.querySelector('[data-counter]');
  if (!body || !parentInput) return;
  var limit = Number(body.getAttribute('data-limit')) || 5000;
  var postId = section.getAttribute('data-post-id');
  var SENT = 'comment-draft:sent';

  var store = (function () {
    try {
      localStorage.setItem('comment-draft:probe', '1');
      localStorage.removeItem('comment-draft:probe');
      return localStorage;
    } catch {
      return null; // Storage disabled: the counter still works.
    }
  })();

  function key() {
    // Per writer too: on a shared computer, one account never sees another's unsent text.
    var owner = form.getAttribute('data-draft-owner') || 'guest';
    return 'comment-draft:' + owner + ':' + postId + ':' + (parentInput.value || 'top');
  }
  function save() {
    if (!store) return;
    if (body.value.trim()) store.setItem(key(), body.value);
    else store.removeItem(key());
  }

  // Counted as the server counts (JavaScript string length).
  function length(text) {
    return text.length;
  }
  function count() {
    if (!counter) return;
    var n = length(body.value);
    var over = n - limit;
    counter.classList.toggle('field__counter--over', over > 0);
    counter.textContent =
      over > 0
        ? over.toLocaleString('en') +
          ' characters over the ' +
          limit.toLocaleString('en') +
          ' limit: shorten it to post. Nothing has been cut.'
        : (limit - n).toLocaleString('en') + ' characters left';
  }

  /** A note under the box, replaced by the next one. */
  function say(text, withDiscard) {
    var old = form.querySelector('.draft-note');
    if (old) old.remove();
    if (!text) return;
    var note = document.createElement('p');
    note.className = 'draft-note';
    note.setAttribute('role', 'status');
    note.textContent = text + ' ';
    if (withDiscard) {
      var discard = document.createElement('button');
      discard.type = 'button';
      discard.className = 'link-button';
      discard.textContent = 'Discard it';
      discard.addEventListener('click', function () {
        body.value = '';
        save();
        count();
        say('');
        body.focus();
      });
      note.appendChild(discard);
    }
    body.parentNode.appendChild(note);
  }

  function restore() {
    if (!store || body.value.trim()) return;
    var draft = store.getItem(key());
    if (!draft) return;
    body.value = draft;
    count();
    say('Your unsent comment is back, as you left it in this browser.', true);
  }

  // The comment posted last time is on this page now (the server sends a posted comment's reader
  // to #comment-<id>; a refused one gets the form back with its errors): its draft can go.
  if (store) {
    var sent = sessionStorage.getItem(SENT);
    sessionStorage.removeItem(SENT);
    if (sent && /^#comment-/.test(location.hash) && !document.querySelector('.form-errors')) {
      store.removeItem(sent);
    }
  }

  body.removeAttribute('maxlength');
  restore();
  count();
  body.addEventListener('input', function () {
    save();
    count();
  });
  // Reply opened or closed (thread.js): that comment's own draft, if the box is empty.
  form.addEventListener('comment-form:retarget', restore);

  form.addEventListener('submit', function (event) {
    if (length(body.value) > limit) {
      event.preventDefault();
      count();
      body.focus();
      return;
    }
    save();
    if (store) sessionStorage.setItem(SENT, key());
  });

  document.addEventListener('comments:closed', function () {
    form.querySelectorAll('input, button, select').forEach(function (el) {
      if (el.type !== 'hidden') el.disabled = true;
    });
    body.readOnly = true;
    say(
      body.value.trim()
        ? 'Comments closed while you were writing. Your text stays here (and in this browser) to copy.'
        : '',
    );
  });
})();
