import { loadBundle } from "@web/core/assets";
import { registry } from "@web/core/registry";
import { hexToRGBA } from "@web/core/colors/colors";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

import { Component, onWillStart, useEffect, useRef } from "@odoo/owl";

const CALLS = "#017E84";
const SCHEDULED = "#E07B39";
const AGENTS = "#7B5EA7";

/**
 * Chart of a staffing plan (the JSON field ``chart_data``: ``{labels, calls, scheduled, agents}`` and
 * their translated labels): the forecast calls of each interval as bars, the agents on the phones and
 * the agents to schedule as lines on a second axis, drawn with the Chart.js library Odoo ships.
 */
export class StaffingChartField extends Component {
    static template = "crm_callcenter_service.StaffingChartField";
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
        this.chart = new Chart(this.canvasRef.el, {
            type: "bar",
            data: {
                labels: data.labels,
                datasets: [
                    {
                        type: "bar",
                        label: data.calls_label,
                        data: data.calls,
                        backgroundColor: hexToRGBA(CALLS, 0.5),
                        borderColor: CALLS,
                        yAxisID: "calls",
                        order: 2,
                    },
                    {
                        type: "line",
                        label: data.scheduled_label,
                        data: data.scheduled,
                        borderColor: SCHEDULED,
                        backgroundColor: SCHEDULED,
                        stepped: true,
                        pointRadius: 0,
                        yAxisID: "agents",
                        order: 1,
                    },
                    {
                        type: "line",
                        label: data.agents_label,
                        data: data.agents,
                        borderColor: AGENTS,
                        backgroundColor: AGENTS,
                        borderDash: [4, 4],
                        stepped: true,
                        pointRadius: 0,
                        yAxisID: "agents",
                        order: 1,
                    },
                ],
            },
            options: {
                responsive: true,
                maintainAspectRatio: false,
                interaction: { mode: "index", intersect: false },
                scales: {
                    x: { ticks: { autoSkip: true, maxTicksLimit: 14 } },
                    calls: { type: "linear", position: "left", beginAtZero: true,
                             title: { display: true, text: data.calls_label } },
                    agents: { type: "linear", position: "right", beginAtZero: true,
                              grid: { drawOnChartArea: false },
                              title: { display: true, text: data.scheduled_label } },
                },
                plugins: { legend: { position: "bottom" } },
            },
        });
    }
}

export const staffingChartField = {
    component: StaffingChartField,
    supportedTypes: ["json"],
};

registry.category("fields").add("crm_staffing_chart", staffingChartField);
