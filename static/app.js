// Progressive enhancement for the directory: every page works without this script.
// It adds type-ahead to the search box (ARIA combobox with a listbox), updates the results
// region in place when a filter, sort or page changes, and small conveniences.
(function () {
  'use strict';
  var doc = document;
  doc.documentElement.classList.add('js');
  var desktop = window.matchMedia('(min-width: 60em)');

  function ready(fn) {
    if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', fn);
    else fn();
  }

  // Type-ahead: suggestions come from the server as listbox options.
  function setupCombobox(form) {
    var input = form.querySelector('[role=combobox]');
    var list = form.querySelector('[role=listbox]');
    var status = form.querySelector('[data-status]');
    var endpoint = form.getAttribute('data-suggest');
    if (!input || !list || !endpoint || !window.fetch) return;
    var active = -1, timer = 0, seq = 0, shownFor = '';

    function options() { return list.querySelectorAll('[role=option]'); }
    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    }
    function open() {
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }
    function highlight(i) {
      var opts = options();
      if (!opts.length) return;
      if (active >= 0 && opts[active]) opts[active].setAttribute('aria-selected', 'false');
      active = (i + opts.length) % opts.length;
      opts[active].setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', opts[active].id);
      opts[active].scrollIntoView({ block: 'nearest' });
    }
    function choose(option) {
      if (option && option.getAttribute('data-href')) window.location.assign(option.getAttribute('data-href'));
    }
    function suggest() {
      var q = input.value.trim();
      if (q.length < 2) {
        close();
        list.innerHTML = '';
        shownFor = '';
        return;
      }
      if (q === shownFor) return;
      var mine = ++seq;
      fetch(endpoint + '?q=' + encodeURIComponent(q), { headers: { Accept: 'text/html' } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (html) {
          if (mine !== seq) return;
          shownFor = q;
          list.innerHTML = html;
          active = -1;
          input.removeAttribute('aria-activedescendant');
          var n = options().length;
          if (n && doc.activeElement === input) {
            open();
            status.textContent = status.getAttribute('data-msg-count').replace('{n}', n);
          } else {
            close();
            status.textContent = n ? '' : status.getAttribute('data-msg-none');
          }
        })
        .catch(function () { close(); });
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(suggest, 150);
    });
    input.addEventListener('keydown', function (e) {
      switch (e.key) {
        case 'ArrowDown':
          if (list.hidden && options().length) open();
          highlight(active + 1);
          e.preventDefault();
          break;
        case 'ArrowUp':
          highlight(active - 1);
          e.preventDefault();
          break;
        case 'Enter':
          if (!list.hidden && active >= 0) {
            e.preventDefault();
            choose(options()[active]);
          } else {
            close();
          }
          break;
        case 'Escape':
          if (!list.hidden) {
            close();
            e.preventDefault();
          }
          break;
      }
    });
    input.addEventListener('blur', close);
    // Keep focus in the box while an option is clicked.
    list.addEventListener('mousedown', function (e) { e.preventDefault(); });
    list.addEventListener('click', function (e) { choose(e.target.closest('[role=option]')); });
  }

  // Results: filters, chips, sort and pages fetch only the results region.
  function setupResults() {
    if (!doc.getElementById('results-region') || !window.fetch || !window.history.pushState) return;
    var live = doc.querySelector('[data-results-live]');

    function load(url, push, facet, label) {
      var region = doc.getElementById('results-region');
      region.setAttribute('aria-busy', 'true');
      fetch(url, { headers: { 'X-Partial': 'results' } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (html) {
          var tpl = doc.createElement('template');
          tpl.innerHTML = html.trim();
          var fresh = tpl.content.firstElementChild;
          if (!fresh || fresh.id !== 'results-region') throw new Error('unexpected response');
          var filters = region.querySelector('[data-filters]');
          var wasOpen = filters && filters.open;
          region.replaceWith(fresh);
          var freshFilters = fresh.querySelector('[data-filters]');
          if (freshFilters) freshFilters.open = wasOpen || desktop.matches;
          if (push) window.history.pushState({ partial: true }, '', url);
          doc.title = fresh.getAttribute('data-title') || doc.title;
          var heading = fresh.querySelector('#results-heading');
          if (live && heading) live.textContent = heading.textContent;
          var target = null;
          if (facet) {
            fresh.querySelectorAll('[data-facet="' + facet + '"] .facet-link').forEach(function (a) {
              if (!target && a.querySelector('.facet-label').firstChild.textContent === label) target = a;
            });
          }
          (target || heading || fresh).focus();
        })
        .catch(function () { window.location.assign(url); });
    }

    doc.addEventListener('click', function (e) {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      var a = e.target.closest('a[data-partial]');
      var region = doc.getElementById('results-region');
      if (!a || !region || !region.contains(a)) return;
      e.preventDefault();
      var group = a.closest('[data-facet]');
      var label = a.querySelector('.facet-label');
      load(a.href, true, group && group.getAttribute('data-facet'), label && label.firstChild.textContent);
    });
    function sortForm(form) {
      return form.action + '?' + new URLSearchParams(new FormData(form)).toString();
    }
    doc.addEventListener('change', function (e) {
      if (e.target.matches('[data-sort] select')) load(sortForm(e.target.form), true);
    });
    doc.addEventListener('submit', function (e) {
      if (e.target.matches('[data-sort]')) {
        e.preventDefault();
        load(sortForm(e.target), true);
      }
    });
    window.addEventListener('popstate', function () { load(window.location.href, false); });
  }

  // Folds text as the search does: lower case, no diacritics, đ as d.
  function fold(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
  }

  // Type-ahead for a long list of checkboxes: a box above it shows only the terms whose labels
  // or synonyms, in either language, hold every word typed. Chosen terms always stay visible.
  function setupTermFilter(group, n) {
    var items = Array.prototype.slice.call(group.querySelectorAll('li'));
    if (items.length < 8) return;
    var id = 'term-filter-' + n;
    var wrap = doc.createElement('div');
    wrap.className = 'term-filter';
    var label = doc.createElement('label');
    label.htmlFor = id;
    label.textContent = group.getAttribute('data-filter-label');
    var input = doc.createElement('input');
    input.type = 'search';
    input.id = id;
    input.autocomplete = 'off';
    var status = doc.createElement('p');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    wrap.appendChild(label);
    wrap.appendChild(input);
    wrap.appendChild(status);
    group.insertBefore(wrap, group.querySelector('ul'));
    var texts = items.map(function (li) { return fold(li.textContent); });
    input.addEventListener('input', function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (li, i) {
        var keep = li.querySelector('input').checked || words.every(function (w) { return texts[i].indexOf(w) >= 0; });
        li.hidden = !keep;
        if (keep) shown++;
      });
      status.textContent = words.length ? group.getAttribute('data-filter-count').replace('%d', shown) : '';
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') e.preventDefault(); // Enter filters; it must not submit the profile
    });
  }

  ready(function () {
    doc.querySelectorAll('form[data-suggest]').forEach(setupCombobox);
    doc.querySelectorAll('[data-term-filter]').forEach(setupTermFilter);
    setupResults();
    var filters = doc.querySelector('[data-filters]');
    if (filters && desktop.matches) filters.open = true;
    doc.querySelectorAll('[data-print]').forEach(function (b) {
      b.hidden = false;
      b.addEventListener('click', function () { window.print(); });
    });
    doc.querySelectorAll('[data-dismiss]').forEach(function (a) {
      a.addEventListener('click', function (e) {
        var offer = a.closest('[data-offer]');
        if (offer) {
          e.preventDefault();
          offer.hidden = true;
        }
      });
    });
  });
})();
