/*
 * Reading a big thread. Without this file the thread reads as it always did.
 * With it:
 * - "New since your last visit": comments posted since then are marked, their number is shown,
 *   and "Next new comment" (or n, and p for the previous one) goes through them in posting order,
 *   into collapsed subthreads and onto the other pages of the thread (the server lists them).
 *   The last visit is the account's (kept by the server) or this browser's; a reload in the same
 *   tab keeps the marks.
 * - Any subthread can be collapsed and expanded, and all at once; what is collapsed is remembered
 *   while reading (in this tab).
 */
(function () {
  'use strict';

  var section = document.getElementById('comments');
  if (!section) return;
  var slug = section.getAttribute('data-post-slug');
  var postId = section.getAttribute('data-post-id');
  var order = section.getAttribute('data-order') || 'oldest';

  function storage(kind) {
    try {
      var store = window[kind];
      store.getItem('x');
      return store;
    } catch {
      return null;
    }
  }
  var local = storage('localStorage');
  var tab = storage('sessionStorage');

  // ---- Collapsing subthreads -------------------------------------------------------------
  var collapsedKey = 'collapsed:' + postId;
  var collapsed = {};
  try {
    (JSON.parse((tab && tab.getItem(collapsedKey)) || '[]') || []).forEach(function (id) {
      collapsed[id] = true;
    });
  } catch {
    collapsed = {};
  }
  function saveCollapsed() {
    if (tab) tab.setItem(collapsedKey, JSON.stringify(Object.keys(collapsed)));
  }

  function setCollapsed(comment, hide) {
    var replies = comment.querySelector(':scope > ol.thread--replies');
    var toggle = comment.querySelector(':scope > .comment__card .comment__toggle');
    if (!replies || !toggle) return;
    replies.hidden = hide;
    toggle.setAttribute('aria-expanded', hide ? 'false' : 'true');
    var count = replies.querySelectorAll('li.comment').length;
    toggle.textContent = hide
      ? 'Show ' + count + (count === 1 ? ' reply' : ' replies')
      : 'Hide ' + count + (count === 1 ? ' reply' : ' replies');
    var id = comment.getAttribute('data-comment-id');
    if (hide) collapsed[id] = true;
    else delete collapsed[id];
  }

  function addToggles(root) {
    Array.prototype.forEach.call(root.querySelectorAll('li.comment'), function (comment) {
      var replies = comment.querySelector(':scope > ol.thread--replies');
      var card = comment.querySelector(':scope > .comment__card');
      if (!replies || !card || card.querySelector('.comment__toggle')) return;
      var toggle = document.createElement('button');
      toggle.type = 'button';
      toggle.className = 'link-button comment__toggle';
      toggle.setAttribute(
        'aria-controls',
        replies.id || (replies.id = 'replies-' + comment.getAttribute('data-comment-id')),
      );
      card.appendChild(toggle);
      setCollapsed(comment, Boolean(collapsed[comment.getAttribute('data-comment-id')]));
    });
  }

  section.addEventListener('click', function (event) {
    var toggle = event.target.closest('.comment__toggle');
    if (!toggle) return;
    var comment = toggle.closest('li.comment');
    setCollapsed(comment, toggle.getAttribute('aria-expanded') === 'true');
    saveCollapsed();
  });

  function allComments() {
    return Array.prototype.slice.call(section.querySelectorAll('li.comment'));
  }

  // ---- The reading bar: collapse all, expand all, and what is new ---------------------------
  var bar = document.createElement('div');
  bar.className = 'reading-bar';
  bar.setAttribute('role', 'region');
  bar.setAttribute('aria-label', 'Reading this thread');
  var status = document.createElement('p');
  status.className = 'reading-bar__status';
  status.setAttribute('aria-live', 'polite');
  bar.appendChild(status);
  function button(label, onClick, extra) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'button button--quiet' + (extra ? ' ' + extra : '');
    b.textContent = label;
    b.addEventListener('click', onClick);
    bar.appendChild(b);
    return b;
  }
  var nextNew = button(
    'Next new comment',
    function () {
      step(1);
    },
    'reading-bar__next',
  );
  nextNew.hidden = true;
  nextNew.setAttribute('aria-keyshortcuts', 'n');
  var collapseAll = button('Collapse all', function () {
    allComments().forEach(function (comment) {
      setCollapsed(comment, true);
    });
    saveCollapsed();
  });
  var expandAll = button('Expand all', function () {
    allComments().forEach(function (comment) {
      setCollapsed(comment, false);
    });
    saveCollapsed();
  });
  var list = section.querySelector('ol.thread');
  if (list) list.parentNode.insertBefore(bar, list);
  addToggles(section);
  // Collapse and Expand only once some comment has replies; the bar only once it has something.
  function fitBar() {
    var nested = Boolean(section.querySelector('.comment__toggle'));
    collapseAll.hidden = !nested;
    expandAll.hidden = !nested;
    bar.hidden = !nested && nextNew.hidden && !status.textContent;
  }
  fitBar();

  // New comments that arrive live get their own toggles as their parents gain replies.
  new MutationObserver(function () {
    addToggles(section);
    fitBar();
  }).observe(section, { childList: true, subtree: true });

  // ---- From a "replying to NAME" line to the parent, and back ----------------------------------
  // The way back sits under the parent's text, where the reader now is.
  var back = document.createElement('button');
  back.type = 'button';
  back.className = 'link-button comment__back';
  back.hidden = true;
  back.addEventListener('click', function () {
    var origin = document.getElementById(back.getAttribute('data-origin'));
    back.hidden = true;
    if (origin) {
      origin.focus({ preventScroll: true });
      origin.querySelector(':scope > .comment__card').scrollIntoView({ block: 'center' });
    }
  });
  section.addEventListener('click', function (event) {
    var link = event.target.closest('.comment__replying-to a[href^="#comment-"]');
    if (!link) return;
    var origin = link.closest('li.comment');
    var parent = document.getElementById(link.getAttribute('href').slice(1));
    if (!origin || !parent) return;
    event.preventDefault();
    back.setAttribute('data-origin', origin.id);
    back.textContent = 'Back to the reply, #' + origin.getAttribute('data-number');
    back.hidden = false;
    parent.querySelector(':scope > .comment__card').appendChild(back);
    var up = parent.parentElement && parent.parentElement.closest('li.comment');
    while (up) {
      setCollapsed(up, false);
      up = up.parentElement && up.parentElement.closest('li.comment');
    }
    parent.focus({ preventScroll: true });
    parent.querySelector(':scope > .comment__card').scrollIntoView({ block: 'center' });
  });

  // ---- New since the last visit ------------------------------------------------------------
  var visitKey = 'visit:' + postId;
  // One reading of the post (paging through it, following links within it) keeps one "since": the
  // visit before it began. Arriving from anywhere else begins a new one, in this tab too (a reader
  // who went to the home page and came back sees what was posted meanwhile).
  var withinPost = false;
  try {
    var from = new URL(document.referrer);
    withinPost =
      from.origin === window.location.origin &&
      (from.pathname === '/posts/' + slug || from.pathname.indexOf('/posts/' + slug + '/') === 0);
  } catch {
    withinPost = false; // no referrer: typed, bookmarked, opened from mail
  }
  var previous = withinPost && tab ? tab.getItem(visitKey + ':previous') : null;
  if (previous === null || previous === undefined) {
    previous = section.getAttribute('data-last-visit') || (local && local.getItem(visitKey)) || '';
    if (tab) {
      tab.setItem(visitKey + ':previous', previous);
      tab.removeItem(visitKey + ':at');
    }
  }
  if (local) local.setItem(visitKey, new Date().toISOString());
  if (!previous) return; // a first visit: nothing is new yet

  var since = new Date(previous);
  var fresh = []; // { id, number, page }, in posting order, from the server
  var position = Number((tab && tab.getItem(visitKey + ':at')) || -1);

  allComments().forEach(function (comment) {
    var time = comment.querySelector(':scope > .comment__card time[datetime]');
    if (!time || new Date(time.getAttribute('datetime')) <= since) return;
    comment.classList.add('comment--new');
    var meta = comment.querySelector(':scope > .comment__card .comment__meta');
    var badge = document.createElement('span');
    badge.className = 'badge badge--new';
    badge.textContent = 'New';
    if (meta) meta.appendChild(badge);
  });

  function show(entry) {
    var comment = document.getElementById('comment-' + entry.id);
    if (!comment) {
      // On another page of the thread: the permalink lands on it there.
      window.location.href =
        '/posts/' +
        encodeURIComponent(slug) +
        '/comments/' +
        entry.id +
        (order === 'newest' ? '?order=newest' : '');
      return;
    }
    // Open every collapsed subthread it is in.
    var parent = comment.parentElement && comment.parentElement.closest('li.comment');
    while (parent) {
      setCollapsed(parent, false);
      parent = parent.parentElement && parent.parentElement.closest('li.comment');
    }
    saveCollapsed();
    comment.focus({ preventScroll: true });
    comment.querySelector(':scope > .comment__card').scrollIntoView({ block: 'center' });
  }

  function step(direction) {
    if (!fresh.length) return;
    position = Math.min(Math.max(position + direction, 0), fresh.length - 1);
    if (tab) tab.setItem(visitKey + ':at', String(position));
    status.textContent =
      fresh.length +
      ' new since your last visit: #' +
      fresh[position].number +
      ' (' +
      (position + 1) +
      ' of ' +
      fresh.length +
      ')';
    show(fresh[position]);
  }

  fetch(
    '/api/posts/' +
      encodeURIComponent(slug) +
      '/comments/new?since=' +
      encodeURIComponent(since.toISOString()) +
      '&order=' +
      order,
    { headers: { accept: 'application/json' } },
  )
    .then(function (response) {
      return response.ok ? response.json() : { count: 0, comments: [] };
    })
    .then(function (result) {
      fresh = result.comments || [];
      if (!result.count) {
        status.textContent = 'Nothing new since your last visit.';
        fitBar();
        return;
      }
      status.textContent =
        result.count + (result.count === 1 ? ' new comment' : ' new comments') + ' since your last visit.';
      nextNew.hidden = false;
      fitBar();
    })
    .catch(function () {
      // Offline or the server is away: the marks on this page still stand.
    });

  document.addEventListener('keydown', function (event) {
    if (event.key !== 'n' && event.key !== 'p') return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest && event.target.closest('input, textarea, select, [contenteditable]')) return;
    event.preventDefault();
    step(event.key === 'n' ? 1 : -1);
  });
})();
