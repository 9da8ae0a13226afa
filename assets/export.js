/*
 * Client-side image export of a chart, the quick path: the browser draws the PNG or SVG itself with
 * Plotly.downloadImage, at the size and under the file name the server put in the graph's config
 * (toImageButtonOptions). Kept in a file, not inline, so the page runs under a strict CSP.
 */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    cpamExport: {
        download: function (pngClicks, svgClicks, config, graphId) {
            var noUpdate = window.dash_clientside.no_update;
            var ctx = window.dash_clientside.callback_context;
            if (!ctx.triggered.length || !window.Plotly) {
                return noUpdate;
            }
            var format = ctx.triggered[0].prop_id.indexOf('"export-svg"') >= 0 ? "svg" : "png";
            var container = document.getElementById(JSON.stringify(graphId, Object.keys(graphId).sort()));
            var plot = container && container.querySelector(".js-plotly-plot");
            if (!plot) {
                return noUpdate;
            }
            var options = (config && config.toImageButtonOptions) || {};
            window.Plotly.downloadImage(plot, {
                format: format,
                filename: options.filename || "graphique",
                width: options.width || 1600,
                height: options.height || 900,
                scale: format === "png" ? options.scale || 2 : 1
            });
            return noUpdate;
        }
    }
});
