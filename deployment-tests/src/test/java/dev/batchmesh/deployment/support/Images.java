package dev.batchmesh.deployment.support;

import java.util.Map;

/** The images transformer of {@link Kustomize}: name[:tag][@digest] with newName and newTag. */
final class Images {

    private Images() {
    }

    static String retag(String image, Map<String, Object> rule) {
        int at = image.indexOf('@');
        String digest = at < 0 ? "" : image.substring(at);
        String nameAndTag = at < 0 ? image : image.substring(0, at);
        int colon = nameAndTag.lastIndexOf(':');
        String tag = colon > nameAndTag.lastIndexOf('/') ? nameAndTag.substring(colon) : "";
        String name = tag.isEmpty() ? nameAndTag : nameAndTag.substring(0, colon);
        if (!name.equals(rule.get("name"))) {
            return image;
        }
        if (rule.get("newName") != null) {
            name = rule.get("newName").toString();
        }
        if (rule.get("newTag") != null) {
            tag = ":" + rule.get("newTag");
            digest = "";
        }
        return name + tag + digest;
    }
}
