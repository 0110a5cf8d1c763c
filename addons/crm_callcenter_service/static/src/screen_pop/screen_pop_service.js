import { registry } from "@web/core/registry";

import { ScreenPopDialog } from "./screen_pop_dialog";

export const SCREEN_POP = "crm_callcenter_service/screen_pop";

/**
 * Screen pop: when the CTI webhook receives a ringing call for one of the user's queues (or the
 * user's own extension), the server sends a bus notification; the caller's card is then read under
 * the user's rights and shown in a dialog.
 */
export const crmScreenPopService = {
    dependencies: ["bus_service", "dialog", "orm"],
    start(env, { bus_service, dialog, orm }) {
        const open = new Map(); // call id -> close function: one card per call
        bus_service.subscribe(SCREEN_POP, async ({ call_id }) => {
            if (!call_id || open.has(call_id)) {
                return;
            }
            open.set(call_id, null);
            let card;
            try {
                card = await orm.call("crm.service.call", "get_screen_pop_card", [[call_id]]);
            } catch {
                open.delete(call_id);
                return;
            }
            const close = dialog.add(
                ScreenPopDialog,
                { card },
                { onClose: () => open.delete(call_id) }
            );
            open.set(call_id, close);
        });
    },
};

registry.category("services").add("crm_callcenter_service.screen_pop", crmScreenPopService);
