//! Staff accounts changed by a supervisor at the kiosk: add, disable, enable, reset a PIN.

use jiff::ZonedDateTime;

use super::{audit, supervisor_only, Session};
use crate::error::{Result, StaffRefusal};
use crate::model::{rfc3339, StaffRole};
use crate::staff::{check_disable, hash_pin, pin_is_well_formed, StaffAccount};
use crate::store::Store;

/// A change to staff accounts, made by a supervisor at the kiosk.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum StaffChange {
    Add {
        name: String,
        role: String,
        pin: String,
    },
    Disable {
        name: String,
    },
    Enable {
        name: String,
    },
    ResetPin {
        name: String,
        pin: String,
    },
}

/// Every account, active or not, for the supervisor's list (supervisor only, a refusal
/// audited).
pub fn staff_accounts(
    store: &mut Store,
    session: &Session,
    now: &ZonedDateTime,
) -> Result<Vec<StaffAccount>> {
    supervisor_only(store, session, now, "staff_accounts")?;
    store.list_staff()
}

/// Applies a staff change (supervisor only), audited with the supervisor's id. A disable that
/// would lock staff mode ([`check_disable`]) is refused, and the attempt audited. Answers with
/// the accounts as they are now, for the supervisor's list.
pub fn change_staff(
    store: &mut Store,
    session: &Session,
    change: &StaffChange,
    now: &ZonedDateTime,
) -> Result<Vec<StaffAccount>> {
    supervisor_only(store, session, now, "staff_change")?;
    let at = rfc3339(now);
    let existing = |store: &Store, name: &str| {
        store
            .staff_by_name(name)?
            .ok_or_else(|| crate::Error::from(StaffRefusal::StaffUnknown(name.to_owned())))
    };
    let (action, target) = match change {
        StaffChange::Add { name, role, pin } => {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > crate::staff::MAX_NAME_CHARS {
                return Err(crate::Error::InvalidInput(format!(
                    "a staff name is 1 to {} characters",
                    crate::staff::MAX_NAME_CHARS
                )));
            }
            let Some(role) = StaffRole::parse(role) else {
                return Err(StaffRefusal::RoleUnknown(role.clone()).into());
            };
            if !pin_is_well_formed(pin) {
                return Err(StaffRefusal::PinMalformed.into());
            }
            if store.staff_by_name(name)?.is_some() {
                return Err(StaffRefusal::NameTaken(name.to_owned()).into());
            }
            store.add_staff(name, role, &hash_pin(pin)?, &at)?;
            ("staff_add", format!("{name} ({role})"))
        }
        StaffChange::Disable { name } | StaffChange::Enable { name } => {
            let account = existing(store, name)?;
            let enable = matches!(change, StaffChange::Enable { .. });
            if !enable {
                let accounts = store.list_staff()?;
                if let Err(refusal) = check_disable(Some(session.staff_id), &account, &accounts) {
                    // A refused lock-out attempt stays on record, as a refused role does.
                    audit(
                        store,
                        &at,
                        Some(session.staff_id),
                        "refused",
                        Some(&format!("staff_disable {name}")),
                        Some(refusal.code()),
                    )?;
                    return Err(refusal.into());
                }
            }
            store.set_staff_active(account.id, enable)?;
            let action = if enable {
                "staff_enable"
            } else {
                "staff_disable"
            };
            (action, name.clone())
        }
        StaffChange::ResetPin { name, pin } => {
            if !pin_is_well_formed(pin) {
                return Err(StaffRefusal::PinMalformed.into());
            }
            let account = existing(store, name)?;
            store.set_staff_pin(account.id, &hash_pin(pin)?)?;
            ("staff_reset_pin", name.clone())
        }
    };
    audit(
        store,
        &at,
        Some(session.staff_id),
        action,
        Some(&target),
        None,
    )?;
    store.list_staff()
}
