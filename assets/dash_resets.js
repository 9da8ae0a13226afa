/*
 * Dash's renderer sends its store one RESET_COMPONENT_STATE action for each component a callback's answer
 * mounts (dash-renderer's DashWrapper), and each action makes every mounted component run its selector
 * again. At full scale a filter change mounts some three hundred components on a page of 375: about a
 * hundred thousand selector runs, a third of the page's time. The action only forgets the updates the store
 * counted under the component's path (layoutHashes, keyed by the path's items joined by commas, every key
 * starting with that text forgotten). A component just mounted usually has none, and the action then changes
 * nothing: those actions alone are not sent. The store is read for each action, so one whose path still has
 * counted updates (a chart's slot whose store the browser wrote to) goes through.
 * tests/unit/test_dash_resets.py checks that the installed renderer still forgets that way.
 *
 * The renderer names its store window.store as it makes it, after this script has run: the store is taken
 * there. A renderer that no longer does so keeps every action.
 */
(function () {
var store;

function changesNothing(state, action) {
    var path = action.payload && action.payload.itempath;
    var hashes = state && state.layoutHashes;
    if (!Array.isArray(path) || !hashes || typeof hashes !== "object") { return false; }
    var prefix = path.join(",");
    return !Object.keys(hashes).some(function (key) { return key.startsWith(prefix); });
}

function guard(found) {
    var dispatch = found.dispatch;
    found.dispatch = function (action) {
        if (action && action.type === "RESET_COMPONENT_STATE" && changesNothing(found.getState(), action)) {
            return action;
        }
        return dispatch.apply(this, arguments);
    };
    found.dispatch.skipsEmptyResets = true;  // read by the browser tests
}

Object.defineProperty(window, "store", {
    configurable: true,
    get: function () { return store; },
    set: function (value) {
        if (value && value !== store && typeof value.dispatch === "function") { guard(value); }
        store = value;
    }
});
})();
