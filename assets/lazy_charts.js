/*
 * Charts drawn when they near the window. A theme page sends its first charts drawn; each other chart comes
 * as a place holding its frame and caption (a card of class chart-lazy: figure_card.build_waiting_card),
 * with the selection it was made for (data-search) and the id of its store (data-wanted). Once the place
 * comes within a screen of the window, the store receives the selection and the server answers with the
 * whole card, drawn inside the place, which then loses its class of card (theme_page.update_waiting_chart).
 * A page of thirty charts thus costs the browser a handful of cards per filter change, not thirty. A page
 * printed before a place is reached prints the place's summary sentence (app.css).
 */
(function () {
var MARGIN = "100% 0px";  // a screen above and below: drawn before the reader gets there

function want(place) {
    place.classList.remove("chart-lazy");
    window.dash_clientside.set_props(JSON.parse(place.dataset.wanted), {data: place.dataset.search});
}

var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
        if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            // An answer meant for an earlier drawing of the same selection may have filled it already: its
            // store is gone with the place, and the chart is there.
            if (entry.target.classList.contains("chart-lazy")) { want(entry.target); }
        }
    });
}, {rootMargin: MARGIN}) : null;

function watch(node) {
    if (node.nodeType !== 1 || node instanceof SVGElement) { return; }  // plotly's drawing holds no place
    var places = node.matches(".chart-lazy") ? [node] : node.querySelectorAll(".chart-lazy");
    Array.prototype.forEach.call(places, function (place) {
        if (observer) { observer.observe(place); } else { want(place); }
    });
}

function forget(node) {
    if (!observer || node.nodeType !== 1 || node instanceof SVGElement) { return; }
    var places = node.matches(".chart-lazy") ? [node] : node.querySelectorAll(".chart-lazy");
    Array.prototype.forEach.call(places, function (place) { observer.unobserve(place); });
}

// Places arrive with every drawing of a page's body, as new elements (Dash mounts a redrawn body anew, even
// for the same selection); those of the previous drawing go.
new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
        Array.prototype.forEach.call(mutation.removedNodes, forget);
        Array.prototype.forEach.call(mutation.addedNodes, watch);
    });
}).observe(document.documentElement, {childList: true, subtree: true});
})();
