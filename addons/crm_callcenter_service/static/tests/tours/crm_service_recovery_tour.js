import { registry } from "@web/core/registry";

const credit = ".modal .o_field_widget[name=credit_line_ids] .o_data_row:eq(0)";

registry.category("web_tour.tours").add("crm_service_recovery_tour", {
    steps: () => [
        {
            content: "Turn the complaint into a credit note",
            trigger: "button[name=action_open_service_recovery]",
            run: "click",
        },
        {
            trigger: `${credit} td[name=quantity]`,
            run: "click",
        },
        {
            content: "Credit one of the units invoiced",
            trigger: `${credit} td[name=quantity] input`,
            run: "edit 1",
        },
        {
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "The credit note is linked on the case",
            trigger: "button[name=action_open_credit_notes]:contains('1')",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row, .o_form_view .o_field_widget[name=move_type]",
        },
    ],
});
