import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { hexToRGBA } from "@web/core/colors/colors";

import { CrmChartField } from "@crm_suite_base/chart/chart_field";

// the assessment in the house colour, the previous one in a contrasting one
const COLORS = ["#017E84", "#E07B39", "#7B5EA7"];

/**
 * Radar chart of an assessment's dimension scores, with the previous assessment's scores when there
 * is one (the JSON field ``radar_data``: ``{labels, datasets: [{label, data}], min, max}``).
 */
export class CapabilityRadarField extends CrmChartField {
    static template = "crm_capability_assessment.CapabilityRadarField";

    chartConfig(data) {
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
        return {
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
        };
    }
}

export const capabilityRadarField = {
    component: CapabilityRadarField,
    supportedTypes: ["json"],
};

registry.category("fields").add("crm_capability_radar", capabilityRadarField);
