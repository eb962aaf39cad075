/*
 * Suggestions under the header's search box: titles of posts whose words start with what is being
 * typed, as a listbox (the ARIA combobox pattern): arrow keys move through them, Enter opens the
 * one selected (or searches when none is), Escape closes them. Without this file the box is a
 * plain search form.
 */
(function () {
  'use strict';

  var input = document.querySelector('input[data-suggest]');
  if (!input || !window.fetch) return;
  var form = input.form;
  var list = document.createElement('ul');
  list.id = 'site-search-suggestions';
  list.className = 'suggestions';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Posts');
  list.hidden = true;
  form.appendChild(list);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', list.id);

  var timer = 0;
  var asked = '';
  var active = -1;

  function options() {
    return Array.prototype.slice.call(list.querySelectorAll('[role="option"]'));
  }
  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }
  function select(index) {
    var all = options();
    all.forEach(function (option, i) {
      option.setAttribute('aria-selected', i === index ? 'true' : 'false');
    });
    active = index;
    if (index >= 0) input.setAttribute('aria-activedescendant', all[index].id);
    else input.removeAttribute('aria-activedescendant');
  }
  function show(suggestions) {
    list.textContent = '';
    suggestions.forEach(function (s, i) {
      var option = document.createElement('li');
      option.id = 'suggestion-' + i;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      option.setAttribute('data-url', s.url);
      option.textContent = s.title;
      option.addEventListener('mousedown', function (event) {
        event.preventDefault();
        window.location.href = s.url;
      });
      list.appendChild(option);
    });
    if (!suggestions.length) return close();
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    select(-1);
  }
  function ask() {
    var q = input.value.trim();
    if (q.length < 2) return close();
    if (q === asked) return;
    asked = q;
    fetch('/api/search/suggest?q=' + encodeURIComponent(q), { headers: { accept: 'application/json' } })
      .then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      })
      .then(function (body) {
        if (input.value.trim() === q) show(body.suggestions || []);
      })
      .catch(close);
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  input.addEventListener('keydown', function (event) {
    var all = options();
    if (event.key === 'ArrowDown' && !list.hidden) {
      select(Math.min(active + 1, all.length - 1));
      event.preventDefault();
    } else if (event.key === 'ArrowUp' && !list.hidden) {
      select(Math.max(active - 1, -1));
      event.preventDefault();
    } else if (event.key === 'Escape' && !list.hidden) {
      close();
      event.preventDefault();
    } else if (event.key === 'Enter' && active >= 0 && !list.hidden) {
      event.preventDefault();
      window.location.href = all[active].getAttribute('data-url');
    }
  });
  input.addEventListener('blur', function () {
    setTimeout(close, 150);
  });
})();
