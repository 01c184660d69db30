"""Environment stack: Adobe's "send mail from AEM" guide as code, for one environment.

Reads the program's network infrastructure from the program stack (examples/network), enables
advanced networking on this stack's environment, and lets `MailService` create the SMTP port
forward and the credentials and render the DefaultMailService OSGi JSON.
"""

import pulumi

from aem_pulumi import EnvironmentAdvancedNetworking, MailService

config = pulumi.Config()
program_id = config.require("programId")
environment_id = config.require("environmentId")

# The network infrastructure belongs to the program stack; refuse to go on without it.
network = pulumi.StackReference(config.require("networkStack"))
infrastructure_id = network.require_output("infrastructure_id")

networking = EnvironmentAdvancedNetworking(
    "advanced-networking",
    program_id=program_id,
    environment_id=environment_id,
)

mail = MailService(
    "mail",
    program_id=program_id,
    environment_id=environment_id,
    smtp_host=config.require("smtpHost"),
    smtp_port=config.get_int("smtpPort") or 465,
    port_orig=config.get_int("smtpPortOrig"),  # default: 30000 + smtpPort
    from_address=config.require("fromAddress"),
    username=config.require("emailUsername"),
    password=config.require_secret("emailPassword"),
    app_name=config.require("appName"),
    run_mode=config.get("runMode"),
    opts=pulumi.ResourceOptions(depends_on=[networking]),
)

pulumi.export("infrastructure_id", infrastructure_id)
pulumi.export("osgi_config_path", mail.osgi_config_path)
pulumi.export("default_mail_service_json", mail.default_mail_service_json)
pulumi.export("port_orig", mail.port_orig)
