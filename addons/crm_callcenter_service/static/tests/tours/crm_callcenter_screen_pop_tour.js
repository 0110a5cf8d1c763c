import { registry } from "@web/core/registry";

/** The key and database the test gives the browser as cookies. */
function cookie(name) {
    const found = document.cookie.split("; ").find((item) => item.startsWith(`${name}=`));
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
}

registry.category("web_tour.tours").add("crm_callcenter_screen_pop_tour", {
    steps: () => [
        {
            content: "The web client is ready",
            trigger: ".o_main_navbar",
        },
        {
            content: "The PBX reports a call ringing in the support queue",
            trigger: ".o_main_navbar",
            run: async () => {
                const response = await fetch("/crm_callcenter/cti/events", {
                    method: "POST",
                    headers: {
                        "Content-Type": "application/json",
                        Authorization: `Bearer ${cookie("crm_cti_tour_key")}`,
                    },
                    body: JSON.stringify({
                        call_id: "tour-call-1",
                        event_id: "tour-call-1-ringing",
                        event: "ringing",
                        timestamp: Math.floor(Date.now() / 1000),
                        from: "06 12 34 56 78",
                        queue: "support",
                    }),
                });
                if (response.status !== 200) {
                    throw new Error(`the webhook answered ${response.status}`);
                }
            },
        },
        {
            content: "The caller's card pops up with the customer",
            trigger: ".modal .o_crm_screen_pop_name:contains(Ada Customer)",
            timeout: 30000,
        },
        {
            content: "Open a new case from the call",
            trigger: ".modal .o_crm_screen_pop_new_case",
            run: "click",
        },
        {
            content: "The case is prefilled with the caller",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input:value(Ada Customer)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=name] input:value(Call from +33612345678)",
        },
        {
            content: "Save the case",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The call is linked to the case",
            trigger: ".o_form_view button[name=action_crm_calls]:contains(1)",
        },
    ],
});
