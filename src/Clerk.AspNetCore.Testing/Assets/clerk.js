/*
 * A stand-in for Clerk.js, served by the Clerk.AspNetCore emulator for offline development and tests.
 * It implements what Clerk.AspNetCore's markup relies on, written from Clerk's documented behaviour, and talks
 * only to the emulator it was loaded from (the API at "<this script's folder>/v2/"). It is not Clerk's code.
 *
 * Commands: config, click, content, context, cart, call, debug; span.clerk elements by data-api.
 */
(function (window, document) {
  'use strict';

  var script = document.currentScript;
  var apiBase = new URL('v2/', script && script.src ? script.src : document.baseURI).href;
  var visitorPattern = /^[A-Za-z0-9]{1,32}$/;
  var alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  var state = { key: null, visitor: 'auto', debug: false, language: null, globals: {}, selectors: [], listening: false };
  var sequence = 0;

  function log() {
    if (state.debug) {
      console.log.apply(console, ['[Clerk]'].concat([].slice.call(arguments)));
    }
  }

  function warn() {
    console.warn.apply(console, ['[Clerk]'].concat([].slice.call(arguments)));
  }

  function randomId(length) {
    var bytes = new Uint8Array(length);
    window.crypto.getRandomValues(bytes);
    var id = '';
    for (var i = 0; i < length; i++) {
      id += alphabet[bytes[i] % alphabet.length];
    }
    return id;
  }

  // 'auto' (cookieless, decided by the server), a custom ID, null (no tracking), or 'persistent' (kept in localStorage).
  function visitor() {
    if (state.visitor !== 'persistent') {
      return state.visitor;
    }
    try {
      var id = window.localStorage.getItem('clerk-visitor-id');
      if (!id || !visitorPattern.test(id)) {
        id = randomId(8);
        window.localStorage.setItem('clerk-visitor-id', id);
      }
      return id;
    } catch (e) {
      return 'auto';
    }
  }

  // Query arguments as Clerk wants them: lists and objects JSON-encoded, null as null.
  function query(args) {
    return Object.keys(args).filter(function (name) { return args[name] !== undefined; }).map(function (name) {
      var value = args[name];
      var text = value === null ? 'null' : typeof value === 'object' ? JSON.stringify(value) : String(value);
      return encodeURIComponent(name) + '=' + encodeURIComponent(text);
    }).join('&');
  }

  function withIdentity(args) {
    var all = { key: state.key, visitor: visitor() };
    Object.keys(args || {}).forEach(function (name) { all[name] = args[name]; });
    return all;
  }

  // A JSONP call, as Clerk.js makes them: works across origins without CORS.
  function call(endpoint, args, success, failure) {
    if (!state.key) {
      warn('call to ' + endpoint + ' before Clerk("config", {key: ...}); ignored');
      return;
    }
    var all = withIdentity(args);
    var name = '__clerk_cb_' + (++sequence);
    var element = document.createElement('script');
    function done() {
      delete window[name];
      element.remove();
    }
    window[name] = function (response) {
      done();
      if (response && response.status === 'error') {
        warn(endpoint + ' failed: ' + response.type + ': ' + response.message);
        if (failure) { failure(response); }
        return;
      }
      log(endpoint, all, response);
      if (success) { success(response); }
    };
    element.onerror = function () {
      done();
      warn(endpoint + ' could not be reached');
      if (failure) { failure({ status: 'error', type: 'NetworkError', message: 'request failed' }); }
    };
    element.src = apiBase + endpoint + '?' + query(all) + '&callback=' + name;
    document.head.appendChild(element);
  }

  // Clicks must survive the navigation they cause: sendBeacon, or fetch with keepalive.
  function beacon(endpoint, args) {
    var body = JSON.stringify(withIdentity(args));
    var url = apiBase + endpoint;
    log(endpoint, body);
    var sent = false;
    try {
      sent = navigator.sendBeacon && navigator.sendBeacon(url, new Blob([body], { type: 'text/plain' }));
    } catch (e) {
      sent = false;
    }
    if (!sent) {
      window.fetch(url, { method: 'POST', body: body, keepalive: true, mode: 'no-cors', headers: { 'Content-Type': 'text/plain' } });
    }
  }

  function closestData(element, name) {
    var holder = element.closest('[data-' + name + ']');
    return holder ? holder.getAttribute('data-' + name) : null;
  }

  function parseLabels(text) {
    if (!text) { return undefined; }
    try {
      var labels = JSON.parse(text);
      return Array.isArray(labels) ? labels : [String(labels)];
    } catch (e) {
      return [text];
    }
  }

  function onClick(event) {
    var target = event.target instanceof Element ? event.target : null;
    var element = target && target.closest(state.selectors.join(','));
    if (!element) { return; }
    var product = element.getAttribute('data-clerk-product-id') || element.getAttribute('data-product-id');
    if (!product) { return; }
    var position = element.getAttribute('data-clerk-position');
    // clerk-product-id marks the ID's JSON type; the emulator, like Clerk, tells 104 from "104".
    if (element.getAttribute('data-clerk-product-type') === 'number' && /^-?[0-9]+$/.test(product)) { product = Number(product); }
    beacon('log/click', {
      product: product,
      labels: parseLabels(closestData(element, 'clerk-labels')),
      api: closestData(element, 'clerk-api') || undefined,
      n: position === null ? undefined : Number(position)
    });
  }

  function click(selector) {
    if (state.selectors.indexOf(selector) < 0) {
      state.selectors.push(selector);
    }
    if (!state.listening) {
      state.listening = true;
      document.addEventListener('click', onClick, true);
    }
  }

  // data-foo-bar='…' → foo_bar; values that look like JSON lists or objects are parsed.
  function spanArguments(element) {
    var args = {};
    Object.keys(element.dataset).forEach(function (name) {
      if (name === 'api' || name === 'template' || name.indexOf('clerk') === 0) { return; }
      var value = element.dataset[name];
      var key = name.replace(/[A-Z]/g, function (c) { return '_' + c.toLowerCase(); });
      if (/^\s*[\[{]/.test(value)) {
        try { value = JSON.parse(value); } catch (e) { warn('data-' + key + ' is not valid JSON: ' + value); }
      }
      args[key] = value;
    });
    return args;
  }

  // A product's URL comes from the shop's feed: only http(s) (relative URLs resolve to the page's) may become a link,
  // so a javascript: or data: URL is never something a click runs. Returns the resolved URL, or null.
  function safeUrl(url) {
    try {
      var parsed = new URL(String(url), document.baseURI);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  // Prices as the page's culture writes them (<html lang>, else English), with two decimals; null for no price.
  function priceFormatter() {
    var options = { minimumFractionDigits: 2, maximumFractionDigits: 2 };
    var format;
    try {
      format = new Intl.NumberFormat(document.documentElement.lang || 'en', options);
    } catch (e) {
      format = new Intl.NumberFormat('en', options); // a lang that is no language tag
    }
    return function (price) {
      var value = typeof price === 'string' && price.trim() !== '' ? Number(price) : price;
      return typeof value === 'number' && isFinite(value) ? format.format(value) : null;
    };
  }

  // Styles go through the DOM (CSSOM), not a <style> element or style="" markup: a shop's Content-Security-Policy
  // without 'unsafe-inline' still lets them apply.
  function styled(element, styles) {
    Object.keys(styles).forEach(function (name) { element.style[name] = styles[name]; });
    return element;
  }

  function textElement(tag, className, text) {
    var element = document.createElement(tag);
    element.className = className;
    element.textContent = text; // product data is the shop's feed: always text, never markup
    return element;
  }

  // Recommendation and search spans become product cards (image, name, price), each a click-tracked link.
  function renderProducts(element, api, args, response) {
    var data = response.product_data || [];
    var price = priceFormatter();
    var list = styled(document.createElement('ul'), {
      display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(10rem, 1fr))', gap: '1rem',
      listStyle: 'none', padding: '0', margin: '0'
    });
    list.className = 'clerk-emulator-results';
    list.setAttribute('data-clerk-api', api);
    if (args.labels) { list.setAttribute('data-clerk-labels', JSON.stringify(args.labels)); }
    (response.result || []).forEach(function (id, index) {
      var product = data[index] || { id: id };
      var item = styled(document.createElement('li'), { border: '1px solid #dfe5e2', borderRadius: '6px', padding: '.5rem', background: '#fff' });
      item.className = 'clerk-emulator-card';
      var link = styled(document.createElement('a'), { display: 'flex', flexDirection: 'column', gap: '.35rem', color: 'inherit', textDecoration: 'none' });
      var href = product.url ? safeUrl(product.url) : '#';
      if (href) {
        link.href = href;
      } else {
        warn('product ' + id + ' has a URL that is not http(s); shown without a link');
      }
      var image = product.image ? safeUrl(product.image) : null;
      if (image) {
        var img = styled(document.createElement('img'), { width: '100%', aspectRatio: '1', objectFit: 'cover', borderRadius: '4px' });
        img.className = 'clerk-emulator-image';
        img.src = image;
        img.alt = product.name || '';
        img.loading = 'lazy';
        link.appendChild(img);
      } else if (product.image) {
        warn('product ' + id + ' has an image URL that is not http(s); shown without it');
      }
      link.appendChild(textElement('span', 'clerk-emulator-name', product.name || ('Product ' + id)));
      var now = price(product.price);
      if (now !== null) {
        var prices = styled(textElement('span', 'clerk-emulator-price', now), { fontWeight: '600' });
        var before = price(product.list_price);
        if (before !== null && Number(product.list_price) > Number(product.price)) {
          var was = styled(textElement('s', 'clerk-emulator-list-price', before), { fontWeight: '400', marginLeft: '.5em', opacity: '.7' });
          prices.appendChild(was);
        }
        link.appendChild(prices);
      }
      link.setAttribute('data-clerk-product-id', String(id));
      link.setAttribute('data-clerk-product-type', typeof id === 'number' ? 'number' : 'string');
      link.setAttribute('data-clerk-position', String(index));
      item.appendChild(link);
      list.appendChild(item);
    });
    element.replaceChildren(list);
    click('.clerk-emulator-results [data-clerk-product-id]');
  }

  function content(selector) {
    document.querySelectorAll(selector || 'span.clerk, .clerk[data-api]').forEach(function (element) {
      if (element.hasAttribute('data-clerk-processed')) { return; }
      var api = element.getAttribute('data-api');
      if (!api) { return; }
      element.setAttribute('data-clerk-processed', '');
      var args = spanArguments(element);
      if (api.indexOf('log/') === 0) {
        call(api, args);
      } else {
        args.attributes = ['id', 'name', 'price', 'list_price', 'url', 'image'];
        if (args.limit === undefined) { args.limit = 4; }
        call(api, args, function (response) { renderProducts(element, api, args, response); });
      }
    });
  }

  function context(values) {
    values = values || {};
    if (values.product !== undefined) { call('log/product', { product: values.product }); }
    if (values.category !== undefined) { call('log/category', { category: values.category }); }
    log('context', values);
  }

  function cart(action, ids) {
    var products = Array.isArray(ids) ? ids : ids === undefined ? [] : [ids];
    if (['add', 'remove', 'set'].indexOf(action) < 0) {
      warn('unknown cart action: ' + action);
      return;
    }
    call('log/cart/' + action, { products: products });
  }

  function config(options) {
    options = options || {};
    if (options.key !== undefined) { state.key = options.key; }
    if (options.visitor !== undefined) { state.visitor = options.visitor; }
    if (options.language !== undefined) { state.language = options.language; }
    if (options.globals !== undefined) { state.globals = options.globals; }
    if (options.debug !== undefined) { state.debug = options.debug === true || !!(options.debug && options.debug.enable); }
    // Clerk's testing aid: ?clerk_visitor=ID forces that visitor ID for this page — never for a visitor the server
    // sent as null (declined or Global Privacy Control): a link must not give them an identity.
    var forced = new URLSearchParams(window.location.search).get('clerk_visitor');
    if (forced && visitorPattern.test(forced) && state.visitor !== null) { state.visitor = forced; }
    log('config', { key: state.key, visitor: state.visitor });
  }

  var commands = {
    config: config,
    click: click,
    content: content,
    context: context,
    cart: cart,
    call: call,
    debug: function () { state.debug = true; log('debug on'); },
    product: function (id) { call('log/product', { product: id }); }
  };

  function run(args) {
    var command = commands[args[0]];
    if (!command) {
      warn('unknown command: ' + args[0]);
      return;
    }
    try {
      command.apply(null, [].slice.call(args, 1));
    } catch (e) {
      warn(args[0] + ' failed', e);
    }
  }

  var queued = window.__clerk_q || [];
  window.Clerk = function () { run(arguments); };
  window.__clerk_q = { push: function (args) { run(args); } };
  for (var i = 0; i < queued.length; i++) {
    run(queued[i]);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { content(); });
  } else {
    content();
  }
})(window, document);
