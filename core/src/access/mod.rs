//! Roles, and who may see or change which record.
//!
//! The server enforces these rules on every sync message; the app uses the same
//! functions to decide what to offer (a read-only user gets no edit buttons, a sales rep
//! cannot move an account to another team), so the two can never disagree.
//!
//! A record's *scope* is its `team` and `owner` fields. A record without a team is
//! shared by the whole workspace. Owners and admins see everything; service agents see
//! every record too (a caller may be any customer); managers, sales reps and read-only
//! users see the records of their teams and the shared ones. A privacy officer sees
//! every record and changes none: they answer people's KVKK requests (what is held
//! about them, erasure) and keep the log of those requests.

use serde::{Deserialize, Serialize};

/// What a member may do in a workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Admin,
    Manager,
    SalesRep,
    ServiceAgent,
    ReadOnly,
    /// The privacy officer (KVKK): reads everything, logs and answers data-subject
    /// requests, changes no record.
    Privacy,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Owner,
        Role::Admin,
        Role::Manager,
        Role::SalesRep,
        Role::ServiceAgent,
        Role::ReadOnly,
        Role::Privacy,
    ];

    /// The stable code used in the API and in stored data.
    pub fn code(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::SalesRep => "sales_rep",
            Role::ServiceAgent => "service_agent",
            Role::ReadOnly => "read_only",
            Role::Privacy => "privacy",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether the role may change records at all.
    pub fn can_write(self) -> bool {
        !matches!(self, Role::ReadOnly | Role::Privacy)
    }

    /// Whether the role sees every record of the workspace, whatever its team.
    pub fn sees_all(self) -> bool {
        matches!(
            self,
            Role::Owner | Role::Admin | Role::ServiceAgent | Role::Privacy
        )
    }

    /// Whether the role answers people's KVKK requests: keeps the request log and
    /// gathers what is held about a person.
    pub fn handles_privacy(self) -> bool {
        matches!(self, Role::Owner | Role::Admin | Role::Privacy)
    }

    /// Whether the role manages members, teams, invitations and reads the audit log.
    pub fn administers(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }

    /// Whether a member with this role may give `other` to someone (an admin cannot
    /// make owners; only an owner can).
    pub fn may_grant(self, other: Role) -> bool {
        match self {
            Role::Owner => true,
            Role::Admin => other != Role::Owner,
            _ => false,
        }
    }
}

/// A department, for calendars and routing. Stored as the lower-case English code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Department {
    Sales,
    Service,
    Marketing,
    Accounting,
    Finance,
    Rnd,
}

impl Department {
    pub const ALL: [Department; 6] = [
        Department::Sales,
        Department::Service,
        Department::Marketing,
        Department::Accounting,
        Department::Finance,
        Department::Rnd,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Department::Sales => "sales",
            Department::Service => "service",
            Department::Marketing => "marketing",
            Department::Accounting => "accounting",
            Department::Finance => "finance",
            Department::Rnd => "rnd",
        }
    }

    pub fn from_code(code: &str) -> Option<Department> {
        Department::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// A member's role and teams: everything the visibility rules need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    pub role: Role,
    /// Team IDs the member belongs to (a manager usually leads several).
    pub teams: Vec<String>,
}

/// The fields of a record that decide who sees it. Empty strings mean "none".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    pub team: String,
    pub owner: String,
}

/// Why a change was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    ReadOnly,
    NotVisible,
    TeamChange,
    OwnerChange,
    KindChange,
}

impl std::fmt::Display for Denied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Denied::ReadOnly => "the member's role is read-only",
            Denied::NotVisible => "the record is not visible to the member",
            Denied::TeamChange => "the member's role may not give the record this team",
            Denied::OwnerChange => "the member's role may not change the record's owner",
            Denied::KindChange => "a record's kind cannot be changed",
        })
    }
}

impl Access {
    fn in_team(&self, team: &str) -> bool {
        self.teams.iter().any(|t| t == team)
    }

    /// Whether a record with `scope` is visible.
    pub fn can_read(&self, scope: &Scope) -> bool {
        self.role.sees_all() || scope.team.is_empty() || self.in_team(&scope.team)
    }

    /// Teams this member may put a record in, or `None` for "any team".
    pub fn assignable_teams(&self) -> Option<&[String]> {
        match self.role {
            Role::Owner | Role::Admin => None,
            _ => Some(&self.teams),
        }
    }

    fn may_put_in_team(&self, team: &str) -> bool {
        match self.assignable_teams() {
            None => true,
            // Moving to "shared" would widen visibility: only admins do that.
            Some(_) if team.is_empty() => self.teams.is_empty(),
            Some(teams) => teams.iter().any(|t| t == team),
        }
    }

    /// Checks a change of a record from `before` to `after`; `before` is `None` for a
    /// record created by this change.
    pub fn check_change(
        &self,
        before: Option<(&str, &Scope)>,
        after: (&str, &Scope),
    ) -> Result<(), Denied> {
        if !self.role.can_write() {
            return Err(Denied::ReadOnly);
        }
        let (kind_after, scope_after) = after;
        let Some((kind_before, scope_before)) = before else {
            // A new record: it must land where its creator may put it.
            if !scope_after.team.is_empty() && !self.may_put_in_team(&scope_after.team) {
                return Err(Denied::TeamChange);
            }
            return Ok(());
        };
        if !self.can_read(scope_before) {
            return Err(Denied::NotVisible);
        }
        if !kind_before.is_empty() && kind_before != kind_after {
            return Err(Denied::KindChange);
        }
        if scope_before.team != scope_after.team {
            let allowed = match self.role {
                Role::Owner | Role::Admin => true,
                Role::Manager => self.may_put_in_team(&scope_after.team),
                _ => false,
            };
            if !allowed {
                return Err(Denied::TeamChange);
            }
        }
        if scope_before.owner != scope_after.owner
            && !matches!(self.role, Role::Owner | Role::Admin | Role::Manager)
        {
            return Err(Denied::OwnerChange);
        }
        Ok(())
    }
}

/// The kind and scope written in a record document (empty when absent).
pub fn read_scope<D: automerge::ReadDoc>(doc: &D) -> (String, Scope) {
    let get =
        |key| crate::record::value::get_string(doc, &automerge::ROOT, key).unwrap_or_default();
    (
        get("kind"),
        Scope {
            team: get("team"),
            owner: get("owner"),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(role: Role, teams: &[&str]) -> Access {
        Access {
            role,
            teams: teams.iter().map(|t| t.to_string()).collect(),
        }
    }

    fn scope(team: &str, owner: &str) -> Scope {
        Scope {
            team: team.into(),
            owner: owner.into(),
        }
    }

    #[test]
    fn visibility_follows_role_and_team() {
        let istanbul = scope("ist", "u1");
        let shared = scope("", "u1");
        assert!(access(Role::SalesRep, &["ist"]).can_read(&istanbul));
        assert!(!access(Role::SalesRep, &["izm"]).can_read(&istanbul));
        assert!(access(Role::SalesRep, &["izm"]).can_read(&shared));
        assert!(access(Role::Manager, &["izm", "ist"]).can_read(&istanbul));
        assert!(!access(Role::ReadOnly, &["izm"]).can_read(&istanbul));
        assert!(access(Role::Admin, &[]).can_read(&istanbul));
        assert!(access(Role::ServiceAgent, &[]).can_read(&istanbul));
    }

    #[test]
    fn read_only_members_change_nothing() {
        let a = access(Role::ReadOnly, &["ist"]);
        let s = scope("ist", "");
        assert_eq!(
            a.check_change(Some(("account", &s)), ("account", &s)),
            Err(Denied::ReadOnly)
        );
        assert_eq!(a.check_change(None, ("account", &s)), Err(Denied::ReadOnly));
    }

    #[test]
    fn reps_keep_records_in_their_team() {
        let rep = access(Role::SalesRep, &["ist"]);
        let before = scope("ist", "rep");
        assert_eq!(
            rep.check_change(Some(("account", &before)), ("account", &before)),
            Ok(())
        );
        assert_eq!(
            rep.check_change(
                Some(("account", &before)),
                ("account", &scope("izm", "rep"))
            ),
            Err(Denied::TeamChange)
        );
        assert_eq!(
            rep.check_change(Some(("account", &before)), ("account", &scope("ist", "x"))),
            Err(Denied::OwnerChange)
        );
        assert_eq!(
            rep.check_change(None, ("account", &scope("izm", "rep"))),
            Err(Denied::TeamChange)
        );
        assert_eq!(
            rep.check_change(None, ("account", &scope("ist", "rep"))),
            Ok(())
        );
        assert_eq!(
            rep.check_change(Some(("account", &before)), ("workspace", &before)),
            Err(Denied::KindChange)
        );
        let other = scope("izm", "x");
        assert_eq!(
            rep.check_change(Some(("account", &other)), ("account", &other)),
            Err(Denied::NotVisible)
        );
    }

    #[test]
    fn managers_move_records_between_their_teams_only() {
        let manager = access(Role::Manager, &["ist", "izm"]);
        let before = scope("ist", "rep");
        assert_eq!(
            manager.check_change(Some(("account", &before)), ("account", &scope("izm", "m"))),
            Ok(())
        );
        assert_eq!(
            manager.check_change(Some(("account", &before)), ("account", &scope("ank", "m"))),
            Err(Denied::TeamChange)
        );
        assert_eq!(
            manager.check_change(Some(("account", &before)), ("account", &scope("", "m"))),
            Err(Denied::TeamChange)
        );
        let admin = access(Role::Admin, &[]);
        assert_eq!(
            admin.check_change(Some(("account", &before)), ("account", &scope("", "x"))),
            Ok(())
        );
    }

    #[test]
    fn only_owners_grant_ownership() {
        assert!(Role::Owner.may_grant(Role::Owner));
        assert!(!Role::Admin.may_grant(Role::Owner));
        assert!(Role::Admin.may_grant(Role::Manager));
        assert!(!Role::Manager.may_grant(Role::SalesRep));
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        for d in Department::ALL {
            assert_eq!(Department::from_code(d.code()), Some(d));
        }
    }
}
