import { Component } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { useService } from "@web/core/utils/hooks";

/** The caller's card: who calls, what the customer is worth, open cases, unpaid invoices, last orders. */
export class ScreenPopDialog extends Component {
    static template = "crm_callcenter_service.ScreenPopDialog";
    static components = { Dialog };
    static props = { card: Object, close: Function };

    setup() {
        this.action = useService("action");
    }

    get card() {
        return this.props.card;
    }

    async callButton(name) {
        this.props.close();
        await this.action.doActionButton({
            type: "object",
            name,
            resModel: "crm.service.call",
            resId: this.card.call.id,
        });
    }

    async openCall() {
        this.props.close();
        await this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "crm.service.call",
            res_id: this.card.call.id,
            views: [[false, "form"]],
        });
    }

    async openPartner() {
        this.props.close();
        await this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "res.partner",
            res_id: this.card.partner.id,
            views: [[false, "form"]],
        });
    }
}
