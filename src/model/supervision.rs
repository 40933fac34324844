//! The supervision contact (监督方式) that ends every notice: the site's,
//! with a notice's own fields over it.

use serde::Serialize;

use crate::yaml::{Field, Fields, field};

/// Contact details for the supervision paragraph that ends every notice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Supervision {
    pub text: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
}

pub const SUPERVISION_FIELDS: &[Field] = &[
    field("text", "监督说明"),
    field("phone", "联系电话"),
    field("email", "电子邮箱"),
    field("address", "通信地址"),
    field("postcode", "邮政编码"),
];

impl Supervision {
    pub fn read(fields: &mut Fields) -> Self {
        Supervision {
            text: fields.optional("text"),
            phone: fields.optional("phone"),
            email: fields.optional("email"),
            address: fields.optional("address"),
            postcode: fields.optional("postcode"),
        }
    }

    /// `self` with every field that `over` sets replaced.
    pub fn overridden_by(&self, over: &Supervision) -> Supervision {
        let pick = |mine: &Option<String>, theirs: &Option<String>| {
            theirs.clone().or_else(|| mine.clone())
        };
        Supervision {
            text: pick(&self.text, &over.text),
            phone: pick(&self.phone, &over.phone),
            email: pick(&self.email, &over.email),
            address: pick(&self.address, &over.address),
            postcode: pick(&self.postcode, &over.postcode),
        }
    }

    pub fn is_empty(&self) -> bool {
        self == &Supervision::default()
    }
}
