//! The supervision contact (监督方式) that ends every notice: the site's,
//! with a notice's own fields over it.

use serde::{Deserialize, Serialize};

use crate::yaml::record;

record! {
    /// Contact details for the supervision paragraph that ends every notice.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub struct Supervision at SupervisionAt {
        text: Option<String> = optional("监督说明"),
        phone: Option<String> = optional("联系电话"),
        email: Option<String> = optional("电子邮箱"),
        address: Option<String> = optional("通信地址"),
        postcode: Option<String> = optional("邮政编码"),
    }
}

impl Supervision {
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
