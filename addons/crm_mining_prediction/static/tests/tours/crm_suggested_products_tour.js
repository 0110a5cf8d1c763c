import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_suggested_products_tour", {
    steps: () => [
        {
            content: "The quotation holds a desk",
            trigger: ".o_field_one2many[name='order_line'] .o_data_row:contains(PRED Desk)",
        },
        {
            content: "Open the suggested products",
            trigger: ".o_notebook .nav-link:contains(Suggested Products)",
            run: "click",
        },
        {
            content: "The out-of-stock lamp is not suggested, the chair in stock is",
            trigger: ".o_crm_suggested_products:not(:contains(PRED Lamp)) .o_crm_suggestion:contains(PRED Chair)",
        },
        {
            content: "Add the chair to the quotation",
            trigger: ".o_crm_suggestion:contains(PRED Chair) .o_crm_suggestion_add",
            run: "click",
        },
        {
            content: "The chair is no longer suggested",
            trigger: ".o_crm_suggested_products:not(:contains(PRED Chair))",
        },
        {
            content: "Back to the order lines",
            trigger: ".o_notebook .nav-link:contains(Order Lines)",
            run: "click",
        },
        {
            content: "The chair is a line of the quotation",
            trigger: ".o_field_one2many[name='order_line'] .o_data_row:contains(PRED Chair)",
        },
    ],
});
