import { loadBundle } from "@web/core/assets";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

import { Component, onWillStart, useEffect, useRef } from "@odoo/owl";

/**
 * Base of the suite's chart fields: a JSON field drawn with the Chart.js library Odoo ships
 * (``web.chartjs_lib``), redrawn when the value changes. A subclass gives its template (a ``canvas``
 * with ``t-ref="canvas"``) and ``chartConfig(data)``, the Chart.js configuration of the value.
 */
export class CrmChartField extends Component {
    static props = { ...standardFieldProps };

    setup() {
        this.chart = null;
        this.canvasRef = useRef("canvas");
        onWillStart(async () => await loadBundle("web.chartjs_lib"));
        useEffect(
            () => {
                this.renderChart();
                return () => this.chart?.destroy();
            },
            () => [this.props.record.data[this.props.name]]
        );
    }

    get data() {
        return this.props.record.data[this.props.name];
    }

    renderChart() {
        this.chart?.destroy();
        this.chart = null;
        const data = this.data;
        if (!data || !this.canvasRef.el) {
            return;
        }
        this.chart = new Chart(this.canvasRef.el, this.chartConfig(data));
    }

    /** @returns {Object} the Chart.js configuration of ``data`` */
    chartConfig(data) {
        throw new Error(`${this.constructor.name} must define chartConfig()`);
    }
}
