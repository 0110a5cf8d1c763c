import { registry } from "@web/core/registry";
import { hexToRGBA } from "@web/core/colors/colors";

import { CrmChartField } from "@crm_suite_base/chart/chart_field";

const CALLS = "#017E84";
const SCHEDULED = "#E07B39";
const AGENTS = "#7B5EA7";

/**
 * Chart of a staffing plan (the JSON field ``chart_data``: ``{labels, calls, scheduled, agents}`` and
 * their translated labels): the forecast calls of each interval as bars, the agents on the phones and
 * the agents to schedule as lines on a second axis.
 */
export class StaffingChartField extends CrmChartField {
    static template = "crm_callcenter_service.StaffingChartField";

    chartConfig(data) {
        return {
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
        };
    }
}

export const staffingChartField = {
    component: StaffingChartField,
    supportedTypes: ["json"],
};

registry.category("fields").add("crm_staffing_chart", staffingChartField);
