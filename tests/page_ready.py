"""How the browser tests and the benchmarks start Chromium and tell that a page is ready."""

# The machine's network is closed: without these flags Chromium keeps trying to reach Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# The page is settled when Dash's renderer has no callback queued, requested or running, no component
# is flagged as loading, the routed page has drawn its h1, the page subtitle (filled by the page's own
# callback) is not empty, and every chart has drawn its title, except those still more than a screen away
# from the window (drawn when they near it, assets/lazy_charts.js).
SETTLED_JS = """() => {
    const store = window.store && window.store.getState();
    if (!store || !store.callbacks) return false;
    const queues = Object.assign({}, store.callbacks);
    delete queues.stored;
    delete queues.completed;
    if (Object.values(queues).some((queue) => queue.length)) return false;
    if (document.querySelector('[data-dash-is-loading="true"]')) return false;
    if (!document.querySelector('#page-content h1')) return false;
    // dash_table draws from a chunk loaded on demand: a table of the layout may not be in the page yet.
    const tables = [];
    const walk = (node) => {
        if (!node || typeof node !== 'object') return;
        if (Array.isArray(node)) { node.forEach(walk); return; }
        if (node.type === 'DataTable' && node.props && node.props.id) tables.push(node.props.id);
        Object.values(node).forEach(walk);
    };
    walk(store.layout);
    const domId = (id) => typeof id === 'string' ? id
        : '{' + Object.keys(id).sort()
            .map((k) => JSON.stringify(k) + ':' + JSON.stringify(id[k])).join(',') + '}';
    if (tables.some((id) => !document.getElementById(domId(id)))) return false;
    const subtitle = document.querySelector('#page-content .page-subtitle');
    if (subtitle && !subtitle.textContent.trim()) return false;
    // A chart waiting for the window is asked for once within a screen of it (assets/lazy_charts.js).
    const near = (card) => {
        const box = card.getBoundingClientRect();
        return box.height > 0 && box.bottom > -innerHeight && box.top < 2 * innerHeight;
    };
    if (Array.from(document.querySelectorAll('#page-content .chart-lazy')).some(near)) return false;
    // A place asked for and not answered yet (an answer that never comes keeps the page unsettled).
    if (document.querySelector('#page-content .chart-place:not(.chart-lazy)')) return false;
    const shown = '#page-content .chart-card:not(.chart-lazy) .chart-graph';
    const graphs = document.querySelectorAll(shown);
    const drawn = document.querySelectorAll(shown + ' .gtitle');
    return drawn.length >= graphs.length;
}"""
