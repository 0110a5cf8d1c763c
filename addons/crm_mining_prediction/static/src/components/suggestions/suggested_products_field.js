import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatFloat } from "@web/views/fields/formatters";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

import { Component } from "@odoo/owl";

/**
 * The cross-sell suggestions of a quotation or a customer (the JSON fields
 * ``crm_suggested_products`` / ``crm_recommended_products``: ``[{product_id, name, confidence,
 * lift, free_qty, ...}]``). On a quotation each row has an "Add" button: the quotation is saved,
 * the server adds a line of the product (``action_add_crm_suggestion``) and the form reloads.
 */
export class SuggestedProductsField extends Component {
    static template = "crm_mining_prediction.SuggestedProductsField";
    static props = { ...standardFieldProps, addable: { type: Boolean, optional: true } };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
    }

    get rows() {
        return this.props.record.data[this.props.name] || [];
    }

    format(value, digits = 1) {
        return value === null || value === undefined ? "" : formatFloat(value, { digits: [16, digits] });
    }

    async add(row) {
        const record = this.props.record;
        if (!(await record.save())) {
            return;
        }
        await this.orm.call(record.resModel, "action_add_crm_suggestion", [[record.resId], row.product_id]);
        await record.load();
        this.notification.add(_t("%s added to the quotation.", row.name), { type: "success" });
    }
}

export const suggestedProductsField = {
    component: SuggestedProductsField,
    displayName: _t("Suggested Products"),
    supportedTypes: ["json"],
    extractProps: ({ options }) => ({ addable: Boolean(options.addable) }),
};

registry.category("fields").add("crm_suggested_products", suggestedProductsField);
