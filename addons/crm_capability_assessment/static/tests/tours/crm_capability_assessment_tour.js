import { registry } from "@web/core/registry";

const pairs = ".o_field_widget[name=pair_ids]";

function choose(row, label) {
    return [
        {
            content: `Edit comparison ${row + 1}`,
            trigger: `${pairs} .o_data_row:eq(${row}) td[name=value]`,
            run: "click",
        },
        {
            trigger: `${pairs} .o_data_row.o_selected_row td[name=value] .o_select_menu_toggler`,
            // the onchange of the comparison (live consistency ratio) can re-render the list just
            // after the dropdown opened, closing it: open it again until its items show
            async run() {
                const toggler = `${pairs} .o_data_row.o_selected_row td[name=value] .o_select_menu_toggler`;
                for (let attempt = 0; attempt < 10; attempt++) {
                    if (document.querySelector(".o_select_menu_item")) {
                        return;
                    }
                    document.querySelector(toggler)?.click();
                    await new Promise((resolve) => setTimeout(resolve, 400));
                }
            },
        },
        {
            content: `Choose “${label}”`,
            trigger: `.o_select_menu_item:contains("${label}")`,
            run: "click",
        },
        {
            content: "The choice is taken: the dropdown closed",
            trigger: `body:not(:has(.o_select_menu_item)) ${pairs} .o_data_row.o_selected_row`,
        },
    ];
}

registry.category("web_tour.tours").add("crm_capability_assessment_tour", {
    steps: () => [
        {
            content: "The assessor opens their comparisons",
            trigger: "button[name=action_open_my_judgments]",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td:contains('D1')",
            run: "click",
        },
        // circular judgments: S1 >> S2, O1 >> S1, S2 >> O1
        ...choose(0, "Extremely more"),
        ...choose(1, "Extremely less"),
        ...choose(2, "Extremely more"),
        {
            content: "The live consistency check points at a pair to reconsider",
            trigger: ".alert-danger:contains('Reconsider')",
        },
        // S1 : S2 : O1 = 3 : 1 : 1
        ...choose(0, "Moderately more"),
        ...choose(1, "Moderately more"),
        ...choose(2, "Equally"),
        {
            content: "Consistent now",
            trigger: ".alert-success:contains('Consistent')",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            trigger: "button[name=action_submit]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Submitted')",
        },
        {
            content: "Back to the campaign",
            trigger: ".o_breadcrumb a:contains('Tour assessment')",
            run: "click",
        },
        {
            trigger: "button[name=action_answer_survey]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "button.btn:contains('Start')",
            run: "click",
        },
        {
            content: "Rate S1 good",
            trigger: "div.js_question-wrapper:contains('D1') tr:contains('S1') td:eq(1)",
            run: "click",
        },
        {
            trigger: "div.js_question-wrapper:contains('D1') tr:contains('S2') td:eq(2)",
            run: "click",
        },
        {
            trigger: "div.js_question-wrapper:contains('D2') tr:contains('S3') td:eq(1)",
            run: "click",
        },
        {
            trigger: "div.js_question-wrapper:contains('D2') tr:contains('S4') td:eq(0)",
            run: "click",
        },
        {
            trigger: "button[value='finish']",
            run: "click",
        },
        {
            content: "Confirm the submission",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            trigger: "h1:contains('Thank you')",
        },
    ],
});
