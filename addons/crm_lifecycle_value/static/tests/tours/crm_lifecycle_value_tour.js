import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_lifecycle_value_partner_tab", {
    steps: () => [
        {
            content: "The partner form shows the lifecycle smart button",
            trigger: ".o_form_view .oe_stat_button[name='action_open_crm_value']:contains(Stability)",
        },
        {
            content: "Open the Intelligence tab",
            trigger: ".o_notebook .nav-link:contains(Intelligence)",
            run: "click",
        },
        {
            content: "The tab shows the stage",
            trigger: ".o_field_widget[name='crm_value_stage']:contains(Stability)",
        },
        {
            content: "The tab shows the tier",
            trigger: ".o_field_widget[name='crm_value_tier']:contains(Gold)",
        },
        {
            content: "The tab shows the predicted CLV",
            trigger: ".o_field_widget[name='crm_value_predicted_clv']:contains(1,234.50)",
        },
        {
            content: "Open the stage history",
            trigger: "button[name='action_open_crm_stage_history']",
            run: "click",
        },
        {
            content: "The stage history list opens",
            trigger: ".o_list_view, .o_view_nocontent",
        },
    ],
});
