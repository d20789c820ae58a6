// Scoop: progressive enhancements. Every page works without this file.
// - autocomplete under the search boxes (ARIA combobox: arrows, Enter, Escape, mouse)
// - clicking a "Search in" choice re-runs the search
// - the "Refine results" panel opens on wide screens (it starts closed, for phones)
// - empty fields stay out of the URL a search form submits
"use strict";

(function () {
  const SUGGEST_URL = "/api/suggest";
  const DELAY_MS = 120;

  function setUpAutocomplete(input) {
    const form = input.form;
    const box = input.closest(".search-box") || input.parentElement;
    const list = document.createElement("ul");
    const status = document.createElement("p");
    let items = [];
    let shown = {};
    let active = -1;
    let timer = 0;
    let controller = null;
    let lastAsked = "";

    list.id = input.id + "-suggestions";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    box.appendChild(list);
    box.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      const options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    // An option: a completed query (submitted), or a byline or headline (followed).
    function option(entry, typed, index) {
      const item = document.createElement("li");
      item.id = list.id + "-" + index;
      item.className = "suggestion" + (entry.href ? " suggestion-link" : "");
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.value = entry.text;
      if (!entry.href) {
        item.insertAdjacentHTML(
          "afterbegin",
          '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">' +
            '<circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" stroke-width="2"/>' +
            '<path d="m15.5 15.5 5 5" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>'
        );
      }
      const label = document.createElement("span");
      const same =
        !entry.href && entry.text.toLowerCase().startsWith(typed.toLowerCase()) ? typed.length : 0;
      label.appendChild(document.createTextNode(entry.text.slice(0, same)));
      const rest = document.createElement(entry.href ? "span" : "strong");
      rest.textContent = entry.text.slice(same);
      label.appendChild(rest);
      item.appendChild(label);
      item.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the focus in the box
      });
      item.addEventListener("click", function () {
        choose(entry);
      });
      return item;
    }

    function heading(text) {
      const item = document.createElement("li");
      item.className = "suggestion-group";
      item.setAttribute("role", "presentation");
      item.textContent = text;
      return item;
    }

    // The answer's three groups as one list of entries: completions, bylines, headlines.
    function entries(data, typed) {
      const words = (data.completions || [])
        .filter(function (text) {
          return text !== typed;
        })
        .map(function (text) {
          return { text: text, group: "" };
        });
      const authors = (data.authors || []).map(function (name) {
        return { text: name, href: "/search?author=" + encodeURIComponent(name), group: "Authors" };
      });
      const headlines = (data.headlines || []).map(function (article) {
        return { text: article.title, href: article.url, group: "Articles" };
      });
      return words.concat(authors, headlines);
    }

    function show(data, typed) {
      shown = data;
      items = entries(data, typed);
      list.replaceChildren();
      active = -1;
      if (!items.length || document.activeElement !== input) {
        close();
        return;
      }
      let group = "";
      items.forEach(function (entry, index) {
        if (entry.group && entry.group !== group) {
          list.appendChild(heading(entry.group));
        }
        group = entry.group;
        list.appendChild(option(entry, typed, index));
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent =
        items.length + (items.length === 1 ? " suggestion" : " suggestions") + " available.";
    }

    function choose(entry) {
      close();
      if (entry.href) {
        window.location.assign(entry.href);
        return;
      }
      input.value = entry.text;
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    }

    function ask() {
      const typed = input.value;
      if (!typed.trim()) {
        close();
        return;
      }
      if (typed === lastAsked && !list.hidden) {
        return;
      }
      lastAsked = typed;
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      fetch(SUGGEST_URL + "?q=" + encodeURIComponent(typed), {
        headers: { Accept: "application/json" },
        signal: controller.signal,
      })
        .then(function (answer) {
          return answer.ok ? answer.json() : {};
        })
        .then(function (data) {
          if (input.value === typed) {
            show(data, typed);
          }
        })
        .catch(function () {
          /* aborted or offline: no suggestions */
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      lastAsked = "";
      timer = setTimeout(ask, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      const open = !list.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!open) {
          if (items.length && input.value.trim()) {
            show(shown, input.value);
          } else {
            ask();
          }
          event.preventDefault();
          return;
        }
        const step = event.key === "ArrowDown" ? 1 : -1;
        let next = active + step;
        if (next >= items.length) next = -1;
        if (next < -1) next = items.length - 1;
        highlight(next);
        event.preventDefault();
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          choose(items[active]);
        } else {
          close();
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", close);

    // Focus on load with the caret after the query, ready to refine it.
    if (document.activeElement === input && input.value) {
      const end = input.value.length;
      try {
        input.setSelectionRange(end, end);
      } catch (error) {
        /* some input types do not support selection */
      }
    }
  }

  // A click on a "Search in" choice re-runs the search; moving through the choices with
  // the arrow keys does not (a click from the keyboard has event.detail 0).
  function setUpScopes(form) {
    const query = form.querySelector("input[name=q]");
    form.querySelectorAll("input[name=in]").forEach(function (radio) {
      radio.addEventListener("click", function (event) {
        if (event.detail > 0 && query && query.value.trim() && form.requestSubmit) {
          form.requestSubmit();
        }
      });
    });
  }

  function setUpRefinePanel(panel) {
    const narrow = window.matchMedia("(max-width: 900px)");
    function apply() {
      panel.open = !narrow.matches;
    }
    apply();
    narrow.addEventListener("change", apply);
  }

  // The form's entries without the empty ones (since=&until=), so a shared URL carries
  // only what was asked; the server redirects a URL with empty parameters all the same.
  function dropEmptyFields(form) {
    form.addEventListener("formdata", function (event) {
      const data = event.formData;
      const entries = Array.from(data.entries());
      entries.forEach(function (entry) {
        data.delete(entry[0]);
      });
      entries.forEach(function (entry) {
        if (String(entry[1]).trim()) {
          data.append(entry[0], entry[1]);
        }
      });
    });
  }

  document.querySelectorAll("form[method=get]").forEach(dropEmptyFields);
  ["q", "site-q"].forEach(function (id) {
    const box = document.getElementById(id);
    if (box && box.form) {
      setUpAutocomplete(box);
    }
  });
  const input = document.getElementById("q");
  if (input && input.form) {
    setUpScopes(input.form);
  }
  const panel = document.querySelector(".refine-panel");
  if (panel) {
    setUpRefinePanel(panel);
  }
})();
