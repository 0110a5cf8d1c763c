import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_callcenter_staffing_tour", {
    steps: () => [
        {
            content: "Forecast the week and staff it",
            trigger: ".o_form_view button[name=action_compute]:contains(Compute)",
            run: "click",
        },
        {
            content: "The chart of the forecast calls and the agents is drawn",
            trigger: ".o_form_view .o_crm_staffing_chart canvas:not(.d-none)",
        },
        {
            content: "The intervals, one line each",
            trigger: ".o_form_view .o_notebook a[name=intervals]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=line_ids] .o_data_row",
        },
    ],
});
