import { loadBundle } from "@web/core/assets";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { hexToRGBA } from "@web/core/colors/colors";

// the assessment in the house colour, the previous one in a contrasting one
const COLORS = ["#017E84", "#E07B39", "#7B5EA7"];
import { standardFieldProps } from "@web/views/fields/standard_field_props";

import { Component, onWillStart, useEffect, useRef } from "@odoo/owl";

/**
 * Radar chart of an assessment's dimension scores, with the previous assessment's scores when there
 * is one (the JSON field ``radar_data``: ``{labels, datasets: [{label, data}], min, max}``), drawn
 * with the Chart.js library Odoo ships (``web.chartjs_lib``).
 */
export class CapabilityRadarField extends Component {
    static template = "crm_capability_assessment.CapabilityRadarField";
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
        const datasets = data.datasets.map((dataset, index) => {
            const color = COLORS[index % COLORS.length];
            return {
                label: dataset.label,
                data: dataset.data,
                borderColor: color,
                backgroundColor: hexToRGBA(color, 0.2),
                pointBackgroundColor: color,
                borderWidth: index === 0 ? 2 : 1,
                borderDash: index === 0 ? [] : [4, 4],
                spanGaps: true,
            };
        });
        this.chart = new Chart(this.canvasRef.el, {
            type: "radar",
            data: { labels: data.labels, datasets },
            options: {
                responsive: true,
                maintainAspectRatio: false,
                scales: {
                    r: {
                        suggestedMin: data.min,
                        suggestedMax: data.max,
                        ticks: { stepSize: 10, backdropColor: "rgba(255, 255, 255, 0.6)" },
                        pointLabels: { font: { size: 12 } },
                    },
                },
                plugins: {
                    legend: { position: "bottom" },
                    tooltip: {
                        callbacks: {
                            label: (item) =>
                                _t("%(assessment)s: %(score)s", {
                                    assessment: item.dataset.label,
                                    score: item.formattedValue,
                                }),
                        },
                    },
                },
            },
        });
    }
}

export const capabilityRadarField = {
    component: CapabilityRadarField,
    supportedTypes: ["json"],
};

registry.category("fields").add("crm_capability_radar", capabilityRadarField);
