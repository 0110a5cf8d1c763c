import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_segment_rfm_grid_mailing", {
    url: "/odoo/action-crm_mining_segmentation.crm_segment_member_action_rfm_grid",
    steps: () => [
        {
            content: "The RFM grid shows recency rows and frequency columns",
            trigger: ".o_pivot .o_pivot_header_cell_closed:contains(5)",
        },
        {
            content: "Open the customers of a cell",
            trigger: ".o_pivot td.o_pivot_cell_value:not(.o_empty):first",
            run: "click",
        },
        {
            content: "The cell's customers are listed",
            trigger: ".o_list_view .o_data_row .o_data_cell[name='partner_id']:contains(SEG)",
        },
        {
            content: "Go to the segments",
            trigger: ".o_main_navbar",
            run() {
                window.location.href = "/odoo/action-crm_mining_segmentation.crm_segment_action";
            },
            expectUnloadPage: true,
        },
        {
            content: "Act on the Champions segment",
            trigger: ".o_kanban_record:contains(Champions) button[name='action_open_wizard']",
            run: "click",
        },
        {
            content: "The wizard previews the members reached",
            trigger: ".modal .o_field_widget[name='preview']:contains(members of the segment)",
        },
        {
            content: "Choose the mailing list action",
            trigger: ".modal .o_field_widget[name='action'] input[data-value='mailing_list']",
            run: "click",
        },
        {
            content: "Name the new list",
            trigger: ".modal .o_field_widget[name='mailing_list_name'] input",
            run: "edit Champions tour list",
        },
        {
            content: "Apply",
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "The action is confirmed",
            trigger: ".o_notification:contains(Champions tour list)",
        },
    ],
});
