/*
 * Live comment counts on a list of posts (the home page): the page is complete without this;
 * with it, "12 comments" follows the threads as readers write.
 */
(function () {
  'use strict';

  if (typeof io !== 'function' || !document.querySelector('[data-post-count]')) return;
  var socket = io({ transports: ['websocket', 'polling'] });
  window.adviceSocket = socket;
  socket.on('connect', function () {
    socket.emit('listing:join', {}, function () {});
  });
  socket.on('post:count', function (event) {
    if (!event || typeof event.total !== 'number') return;
    var el = document.querySelector(
      '[data-post-count="' + String(event.postId).replace(/[^a-f0-9]/g, '') + '"]',
    );
    if (el)
      el.textContent = event.total.toLocaleString('en-US') + (event.total === 1 ? ' comment' : ' comments');
  });
})();
