/// Every key the config file accepts, as dotted paths ("gateway.admin_token"),
/// built from the very arrays the section parsers check unknown keys against,
/// so the list cannot drift from what a file may say. docs/configuration.md
/// is tested against it.
///
/// In a path, `<name>` stands for a key the file chooses (a target's, a
/// route's, a budget rule's name; a budget category) and `[]` for each item of
/// a list.
public enum ConfigKeys {
    /// One mapping the parsers read: where it sits and the keys it allows.
    struct Mapping {
        let path: String
        let keys: [String]
    }

    static let mappings: [Mapping] = [
        Mapping(path: "", keys: ConfigParser.sections),
        Mapping(path: "azure", keys: AzureSectionParser.keys),
        Mapping(path: "azure.endpoints", keys: AzureSectionParser.endpointKeys),
        Mapping(path: "azure.monitor", keys: AzureSectionParser.monitorKeys),
        Mapping(path: "azure.monitor.resources[]", keys: AzureSectionParser.monitorResourceKeys),
        Mapping(path: "azure.monitor.log_metrics[]", keys: AzureSectionParser.logMetricKeys),
        Mapping(path: "budget", keys: BudgetSectionParser.keys),
        Mapping(path: "budget.monthly", keys: BudgetSectionParser.monthlyKeys),
        Mapping(path: "budget.allocation.<category>", keys: BudgetSectionParser.allocationKeys),
        Mapping(path: "budget.atlas_credits", keys: BudgetSectionParser.creditKeys),
        Mapping(path: "azure_openai", keys: ModelSectionsParser.azureOpenAIKeys),
        Mapping(path: "ollama", keys: ModelSectionsParser.ollamaKeys),
        Mapping(path: "mongodb_atlas", keys: ModelSectionsParser.atlasKeys),
        Mapping(path: "mongodb_atlas.admin_api", keys: ModelSectionsParser.atlasAdminAPIKeys),
        Mapping(path: "routing", keys: RoutingSectionParser.keys),
        Mapping(path: "routing.targets.<name>", keys: RoutingSectionParser.targetKeys),
        Mapping(path: "routing.routes.<name>", keys: RoutingSectionParser.routeKeys),
        Mapping(path: "routing.budget_rules.<name>", keys: RoutingSectionParser.budgetRuleKeys),
        Mapping(path: "dashboard", keys: DashboardSectionParser.keys),
        Mapping(path: "gateway", keys: GatewaySectionParser.keys + GatewaySectionParser.exposureKeys),
        Mapping(path: "gateway.breaker", keys: GatewaySectionParser.breakerKeys),
        Mapping(path: "notifications", keys: NotificationsSectionParser.keys),
        Mapping(
            path: "notifications.sinks[]",
            keys: NotificationsSectionParser.commonSinkKeys
                + NotificationsSectionParser.httpSinkKeys + NotificationsSectionParser.emailSinkKeys),
        Mapping(path: "fleet", keys: FleetSectionParser.keys),
    ]

    /// Every accepted key as a dotted path, sections first, in the parsers' order.
    public static var all: [String] {
        mappings.flatMap { mapping in mapping.keys.map { mapping.path.isEmpty ? $0 : mapping.path + "." + $0 } }
    }
}
