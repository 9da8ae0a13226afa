/*
 * The filter bar's lists of checkboxes (départements, caisses) open in a <details> disclosure: Escape or a
 * click elsewhere closes an open one, the focus going back to its button; opening the départements puts
 * the focus in their search field, which filters the checkboxes without asking the server. A change of the
 * bar is handed to the pages at once (cpamFilters.change), without waiting for the server's correction.
 */
(function () {
// The filter bar's controls, by their field in a change (dashboard/filters.py control_values), in the order
// of the callbacks' controls (dashboard/shell.py CONTROLS).
var FIELDS = ["annee", "comparaison", "departements", "caisses"];

// Whether two JSON values are equal, whatever the order of their keys.
function same(a, b) {
    function canonical(value) {
        if (Array.isArray(value)) { return value.map(canonical); }
        if (value && typeof value === "object") {
            return Object.keys(value).sort().reduce(function (out, key) {
                out[key] = canonical(value[key]);
                return out;
            }, {});
        }
        return value === undefined ? null : value;
    }
    return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

window.dash_clientside = Object.assign({}, window.dash_clientside, {
    cpamFilters: {
        search: function (text, all) {
            var words = (text || "").toLocaleLowerCase("fr").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
                .split(/\s+/).filter(Boolean);
            return (all || []).filter(function (option) {
                var label = option.label.toLocaleLowerCase("fr").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
                return words.every(function (word) { return label.indexOf(word) !== -1; });
            });
        },
        // The filter bar's last change, which the pages draw from while the server corrects the bar (one
        // round trip): the address at the first visit, then the controls' values (the inputs, in the order
        // of FIELDS) and the field of the one just used (the server applies the rules of the year and the
        // départements, and ignores the others). The server's correction of a change (the caisses of new
        // départements, the comparison year of a new year) comes back as a change of its own: it is dropped
        // when the pages already drew from the values it corrects, since they resolved them alike.
        change: function (annee, comparaison, departements, caisses, echo, last) {
            var context = window.dash_clientside.callback_context;
            var noUpdate = window.dash_clientside.no_update;
            if (!context.triggered.length) { return {search: window.location.search}; }
            var values = {annee: annee, comparaison: comparaison, departements: departements, caisses: caisses};
            if (echo && same(values, echo.to)) {
                return echo.from && same(last, echo.from) ? noUpdate : {values: values, changed: null};
            }
            var used = {};
            context.inputs_list.forEach(function (input, i) { used[input.id + "." + input.property] = FIELDS[i]; });
            var changed = context.triggered.map(function (t) { return used[t.prop_id]; }).filter(Boolean)[0];
            var next = {values: values, changed: changed || null};
            return same(next, last) ? noUpdate : next;
        },
        // The server's correction of the controls ({from: the change it answers, to: the values}), set only
        // if it answers the latest change (or the address, from the history): an answer overtaken by a newer
        // click would put back values the person has just changed.
        correct: function (echo, last) {
            var context = window.dash_clientside.callback_context;
            if (echo && echo.to && (echo.from === null || same(echo.from, last))) {
                context.states_list.slice(1).forEach(function (control, i) {
                    var value = echo.to[FIELDS[i]];
                    if (!same(control.value, value)) { window.dash_clientside.set_props(control.id, {value: value}); }
                });
            }
            return window.dash_clientside.no_update;
        },
        // The page links carry the filters of the moment: each link's page, then the URL's query.
        navLinks: function (search, hrefs) {
            return (hrefs || []).map(function (href) { return (href || "/").split("?")[0] + (search || ""); });
        }
    }
});
}());

(function () {
    function close(details, refocus) {
        details.open = false;
        if (refocus) {
            var summary = details.querySelector("summary");
            if (summary) { summary.focus(); }
        }
    }

    document.addEventListener("keydown", function (event) {
        if (event.key !== "Escape") { return; }
        var details = event.target.closest && event.target.closest("details.filter-popover[open]");
        if (details) {
            event.preventDefault();
            close(details, true);
        }
    });

    document.addEventListener("click", function (event) {
        document.querySelectorAll("details.filter-popover[open]").forEach(function (details) {
            if (!details.contains(event.target)) { close(details, false); }
        });
    });

    document.addEventListener("toggle", function (event) {
        var details = event.target;
        if (!details.classList || !details.classList.contains("filter-popover") || !details.open) { return; }
        // One list open at a time.
        document.querySelectorAll("details.filter-popover[open]").forEach(function (other) {
            if (other !== details) { other.open = false; }
        });
        var search = details.querySelector("input.filter-search, .filter-search input");
        if (search) { search.focus(); }
    }, true);
}());
