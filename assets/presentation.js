/*
 * Mode présentation (page /presentation): one screen at a time, arrow keys to move, full screen.
 * Every screen is already in the page; this script only shows one and hides the others, so moving needs no
 * server round trip. Listeners are on the document (Dash draws the page after this file has run), and keys
 * typed in a form field or a dropdown (the filter bar) are left alone.
 */
(function () {
    var MOVES = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 };
    var FIELDS = "input, textarea, select, [contenteditable], [role=combobox], [role=listbox], .dash-dropdown";

    function deck() {
        return document.querySelector(".presentation");
    }

    function screens(root) {
        return Array.prototype.slice.call(root.querySelectorAll(".presentation-screen"));
    }

    function current(root) {
        var list = screens(root);
        for (var i = 0; i < list.length; i += 1) {
            if (list[i].classList.contains("is-current")) {
                return i;
            }
        }
        return 0;
    }

    function show(root, index) {
        var list = screens(root);
        if (!list.length) {
            return;
        }
        var target = Math.max(0, Math.min(list.length - 1, index));
        list.forEach(function (screen, i) {
            screen.classList.toggle("is-current", i === target);
            screen.hidden = i !== target;
        });
        var counter = root.querySelector(".presentation-counter");
        if (counter) {
            counter.textContent = "Écran " + (target + 1) + " sur " + list.length + " : " +
                (list[target].getAttribute("data-title") || "");
        }
        // A chart drawn while hidden has no size: tell plotly the window changed so it redraws.
        window.dispatchEvent(new Event("resize"));
    }

    function toggleFullscreen(root) {
        if (document.fullscreenElement) {
            document.exitFullscreen();
        } else if (root.requestFullscreen) {
            root.requestFullscreen().catch(function () { return undefined; });
        }
    }

    document.addEventListener("keydown", function (event) {
        var root = deck();
        if (!root || event.altKey || event.ctrlKey || event.metaKey) {
            return;
        }
        if (event.target && event.target.closest && event.target.closest(FIELDS)) {
            return;
        }
        if (Object.prototype.hasOwnProperty.call(MOVES, event.key)) {
            show(root, current(root) + MOVES[event.key]);
        } else if (event.key === "Home") {
            show(root, 0);
        } else if (event.key === "End") {
            show(root, screens(root).length - 1);
        } else if (event.key === "f" || event.key === "F") {
            toggleFullscreen(root);
        } else {
            return;
        }
        event.preventDefault();
    });

    document.addEventListener("click", function (event) {
        var button = event.target && event.target.closest && event.target.closest("[data-presentation]");
        var root = deck();
        if (!button || !root) {
            return;
        }
        var action = button.getAttribute("data-presentation");
        if (action === "next") {
            show(root, current(root) + 1);
        } else if (action === "previous") {
            show(root, current(root) - 1);
        } else if (action === "fullscreen") {
            toggleFullscreen(root);
        }
    });

    document.addEventListener("fullscreenchange", function () {
        var root = deck();
        var button = root && root.querySelector("[data-presentation=fullscreen]");
        if (button) {
            button.textContent = document.fullscreenElement ? "Quitter le plein écran" : "Plein écran";
        }
        if (root) {
            window.dispatchEvent(new Event("resize"));
        }
    });
})();
