/*
 * Progressive enhancement for a post's thread. Without this file every link
 * and form still works: Reply and Quote load the page with the form set up.
 * With it, the reply form opens inline under the comment, a quote is one
 * click, a #comment-… link to another page of the thread still lands, and
 * the commenter's name and email are remembered in this browser.
 */
(function () {
  'use strict';

  var section = document.getElementById('comments');
  var respond = document.getElementById('respond');
  if (!section) return;
  var slug = section.getAttribute('data-post-slug');

  // A permalink fragment for a comment that is not on this page: ask the server where it is. A
  // number is an imported comment's old WordPress anchor (#comment-123), which the server also finds.
  // Not after a moderator's action (?done=): a comment just removed is gone from the page because
  // it is removed, and the page says so at its top.
  var hash = /^#comment-([a-f0-9]{24}|\d{1,12})$/.exec(window.location.hash);
  var query = new URLSearchParams(window.location.search);
  if (hash && !document.getElementById('comment-' + hash[1]) && !query.has('done')) {
    var order = query.get('order');
    window.location.replace(
      '/posts/' +
        encodeURIComponent(slug) +
        '/comments/' +
        (/^\d+$/.test(hash[1]) ? 'wp-' : '') +
        hash[1] +
        (order === 'newest' ? '?order=newest' : ''),
    );
    return;
  }

  // Keyboard: j and k move between comments (as in mail and feed readers). A comment takes focus
  // (each is focusable from script and by its #comment- address, which browsers focus on arrival,
  // without this file too), so Tab then reaches its Reply, Quote and Report links in order.
  function cards() {
    return Array.prototype.slice.call(section.querySelectorAll('li.comment'));
  }
  function focusCard(card) {
    if (!card) return;
    card.focus({ preventScroll: true });
    card.querySelector(':scope > .comment__card').scrollIntoView({ block: 'nearest' });
  }
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'j' && event.key !== 'k') return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (target.closest && target.closest('input, textarea, select, [contenteditable]')) return;
    var all = cards();
    if (all.length === 0) return;
    var current = document.activeElement && document.activeElement.closest('li.comment');
    var index = current ? all.indexOf(current) : -1;
    var next = event.key === 'j' ? index + 1 : index - 1;
    if (index === -1) next = event.key === 'j' ? 0 : all.length - 1;
    if (next < 0 || next >= all.length) return;
    event.preventDefault();
    focusCard(all[next]);
  });

  // Arriving at a comment's address (a permalink, or the page after posting): focus it too.
  var arrived = /^#comment-([a-f0-9]{24})$/.exec(window.location.hash);
  if (arrived) {
    var landed = document.getElementById('comment-' + arrived[1]);
    if (landed) focusCard(landed);
  }

  if (!respond) return;
  var form = respond.querySelector('form[data-comment-form]');
  var title = respond.querySelector('#respond-title');
  var parentInput = form.querySelector('input[name="parent"]');
  var body = form.querySelector('textarea[name="body"]');
  var nameInput = form.querySelector('input[name="name"]');
  var emailInput = form.querySelector('input[name="email"]');

  // Pages are shared by every reader without a session, and with them the form's one-time id
  // (which makes a resent form post once): give this page its own.
  var submission = form.querySelector('input[name="_submission"]');
  if (submission && window.crypto && window.crypto.getRandomValues) {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    submission.value = Array.prototype.map
      .call(bytes, function (b) {
        return ('0' + b.toString(16)).slice(-2);
      })
      .join('');
  }
  var home = document.createComment('comment form home');
  respond.parentNode.insertBefore(home, respond);

  // The no-JS context line links away; with JS we offer an in-place cancel instead.
  var context = respond.querySelector('[data-reply-context]');
  if (!context) {
    context = document.createElement('p');
    context.className = 'form-context';
    context.setAttribute('data-reply-context', '');
    context.hidden = true;
    title.insertAdjacentElement('afterend', context);
  }

  var orderInput = form.querySelector('input[name="order"]');
  var threadOrder = orderInput ? orderInput.value : 'oldest';

  var replyingTo = null;
  function openReply(comment, quote) {
    replyingTo = comment;
    if (orderInput) orderInput.value = threadOrder;
    var id = comment.getAttribute('data-comment-id');
    var author = comment.querySelector('.comment__author').textContent;
    var number = comment.getAttribute('data-number');
    parentInput.value = id;
    title.textContent = 'Reply to ' + author + ' (#' + number + ')';
    context.hidden = false;
    context.textContent = '';
    var cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.className = 'button button--quiet';
    cancel.textContent = 'Cancel reply';
    cancel.addEventListener('click', closeReply);
    context.appendChild(document.createTextNode('Your reply will appear under their comment. '));
    context.appendChild(cancel);
    comment.querySelector('.comment__card').insertAdjacentElement('afterend', respond);
    if (quote) {
      var text = comment.querySelector('.comment__body').innerText.trim();
      var quoted = '> **' + author + ' wrote:**\n> ' + text.split('\n').join('\n> ') + '\n\n';
      body.value = quoted + body.value;
    }
    form.dispatchEvent(new CustomEvent('comment-form:retarget'));
    body.focus();
    body.setSelectionRange(body.value.length, body.value.length);
  }

  // Back where it came from, focus on the comment's Reply link (or the form, when there is none).
  function closeReply() {
    var from = replyingTo;
    replyingTo = null;
    parentInput.value = '';
    title.textContent = title.getAttribute('data-default-title');
    context.hidden = true;
    if (orderInput) orderInput.value = threadOrder;
    home.parentNode.insertBefore(respond, home.nextSibling);
    form.dispatchEvent(new CustomEvent('comment-form:retarget'));
    var back = from && from.querySelector(':scope > .comment__card .comment__reply');
    if (back) back.focus();
    else body.focus();
  }

  // "Leave a comment" at the top of the thread: the form comes up right there, and the new comment
  // is shown first (newest first, page 1), where the reader is, not on the thread's last page.
  var leave = document.querySelector('[data-leave-comment]');
  var leaveLink = leave && leave.querySelector('a');
  if (leaveLink) {
    leaveLink.addEventListener('click', function (event) {
      if (event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      if (replyingTo) {
        replyingTo = null;
        parentInput.value = '';
        title.textContent = title.getAttribute('data-default-title');
        context.hidden = true;
      }
      leave.insertAdjacentElement('afterend', respond);
      if (orderInput) orderInput.value = 'newest';
      form.dispatchEvent(new CustomEvent('comment-form:retarget'));
      body.focus();
    });
  }

  respond.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && replyingTo) {
      event.preventDefault();
      closeReply();
    }
  });

  section.addEventListener('click', function (event) {
    var link = event.target.closest('[data-reply-to], [data-quote]');
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
    var comment = link.closest('.comment');
    if (!comment) return;
    event.preventDefault();
    openReply(comment, link.hasAttribute('data-quote'));
  });

  // Remember who is commenting, as WordPress does, in this browser only.
  try {
    if (nameInput && !nameInput.value) nameInput.value = localStorage.getItem('commenter.name') || '';
    if (emailInput && !emailInput.value) emailInput.value = localStorage.getItem('commenter.email') || '';
    form.addEventListener('submit', function () {
      if (nameInput) localStorage.setItem('commenter.name', nameInput.value.trim());
      if (emailInput) localStorage.setItem('commenter.email', emailInput.value.trim());
    });
  } catch {
    // Storage can be disabled; the form works the same without it.
  }
})();
